import { describeError, isTeamKbError, TeamKbError } from '../../core/errors.js';
import type { SearchEngine, WebResult } from '../../core/search-engine.js';

export type EngineMode = 'first' | 'merge';

export interface EngineAnswer {
  results: WebResult[];
  warnings: string[];
}

function failureNote(engine: SearchEngine, err: unknown): string {
  return `${engine.id}: ${describeError(err)}`;
}

function rethrowCancel(err: unknown, signal?: AbortSignal): void {
  if (isTeamKbError(err, 'CANCELLED') || signal?.aborted) {
    throw isTeamKbError(err, 'CANCELLED') ? err : new TeamKbError('CANCELLED', 'Web search was cancelled', { cause: err });
  }
}

function allFailed(failures: string[]): TeamKbError {
  return new TeamKbError('SEARCH_FAILED', `No search engine answered (${failures.join('; ')})`, { details: { failures } });
}

/** Interleaves ranked lists (1st of each, then 2nd of each, …) without repeating a URL. */
export function interleave(lists: WebResult[][], n: number): WebResult[] {
  const seen = new Set<string>();
  const out: WebResult[] = [];
  const longest = Math.max(0, ...lists.map((l) => l.length));
  for (let rank = 0; rank < longest && out.length < n; rank++) {
    for (const list of lists) {
      const result = list[rank];
      if (!result || seen.has(result.url) || out.length >= n) continue;
      seen.add(result.url);
      out.push(result);
    }
  }
  return out;
}

/**
 * Asks the engines for `n` results. 'first': in order, until one returns results. 'merge': all at
 * once, results interleaved. A failing engine becomes a warning; only when every engine fails is
 * the search an error.
 */
export async function queryEngines(
  engines: SearchEngine[],
  query: string,
  n: number,
  mode: EngineMode,
  signal?: AbortSignal,
): Promise<EngineAnswer> {
  if (engines.length === 0) {
    throw new TeamKbError('SEARCH_FAILED', 'No search engine is configured (set SEARXNG_URL or a search API key)');
  }
  const warnings: string[] = [];
  const failures: string[] = [];

  if (mode === 'merge') {
    const settled = await Promise.allSettled(engines.map((engine) => engine.search(query, n, signal)));
    const lists: WebResult[][] = [];
    settled.forEach((outcome, i) => {
      const engine = engines[i] as SearchEngine;
      if (outcome.status === 'fulfilled') lists.push(outcome.value);
      else failures.push(failureNote(engine, outcome.reason));
    });
    if (signal?.aborted) rethrowCancel(signal.reason, signal);
    if (lists.length === 0) throw allFailed(failures);
    warnings.push(...failures);
    return { results: interleave(lists, n), warnings };
  }

  let answered = false;
  for (const engine of engines) {
    try {
      const results = await engine.search(query, n, signal);
      answered = true;
      if (results.length > 0) return { results: results.slice(0, n), warnings: [...warnings, ...failures] };
      warnings.push(`${engine.id}: no results`);
    } catch (err) {
      rethrowCancel(err, signal);
      failures.push(failureNote(engine, err));
    }
  }
  if (!answered) throw allFailed(failures);
  return { results: [], warnings: [...warnings, ...failures] };
}
