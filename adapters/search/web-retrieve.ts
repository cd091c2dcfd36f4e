import type { Embedder } from '../../core/embedder.js';
import { describeError, TeamKbError } from '../../core/errors.js';
import type { SearchEngine, WebResult } from '../../core/search-engine.js';
import { tokenize } from '../../core/text/tokenize.js';
import { cosine01, lexicalScores } from '../../core/web/lexical-rank.js';
import { DEFAULT_PASSAGE_CHARS, splitIntoPassages } from '../../core/web/passages.js';
import { createPageFetcher, type PageFetcher } from './fetch-page.js';
import { type EngineMode, queryEngines } from './query-engines.js';

export const DEFAULT_PAGE_TIMEOUT_MS = 10_000;

export interface WebPassage {
  text: string;
  title: string;
  url: string;
  /** 0..1, higher is more relevant. */
  score: number;
}

export interface WebRetrieval {
  passages: WebPassage[];
  results: WebResult[];
  /** One line per engine or page that failed, for logs and an "n pages could not be read" note. */
  warnings: string[];
}

export interface WebRetrieveLogger {
  warn(obj: Record<string, unknown>, msg?: string): void;
}

export interface WebRetrieveDeps {
  engines: SearchEngine[];
  /** Default: a safe page fetcher (public addresses only, 8 s, 2 MB, HTML/text). */
  fetchPage?: (url: string, signal?: AbortSignal) => Promise<{ title: string; text: string }>;
  embedder?: Embedder | null;
  /** Results fetched and read (default 5). */
  topResults?: number;
  /** Passages returned (default 6). */
  topPassages?: number;
  signal?: AbortSignal;
  logger?: WebRetrieveLogger;
  /** 'first' (default): the first engine with results; 'merge': all engines, interleaved. */
  mode?: EngineMode;
  /** Limit for one page, whatever fetchPage does (default 10 s). */
  pageTimeoutMs?: number;
  passageChars?: number;
}

interface Candidate {
  text: string;
  title: string;
  url: string;
}

/** Candidates kept for the embedder after the lexical pass, so CPU embedding stays bounded. */
const EMBED_CANDIDATES_PER_PASSAGE = 4;
const MIN_EMBED_CANDIDATES = 24;
const LEXICAL_WEIGHT = 0.5;

function withTimeout<T>(
  work: (signal: AbortSignal) => Promise<T>,
  timeoutMs: number,
  label: string,
  outer?: AbortSignal,
): Promise<T> {
  const deadline = AbortSignal.timeout(timeoutMs);
  const signal = outer ? AbortSignal.any([outer, deadline]) : deadline;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () =>
      reject(
        outer?.aborted
          ? new TeamKbError('CANCELLED', 'Web search was cancelled')
          : new TeamKbError('FETCH_FAILED', `${label} did not answer within ${timeoutMs / 1000} s`, {
              details: { reason: 'timeout' },
            }),
      );
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work(signal)
      .then(resolve, reject)
      .finally(() => signal.removeEventListener('abort', onAbort));
  });
}

let sharedPageFetcher: PageFetcher | undefined;

/** One default fetcher per process, so its page cache serves repeated questions. */
function defaultPageFetcher(): PageFetcher {
  sharedPageFetcher ??= createPageFetcher();
  return sharedPageFetcher;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

async function readPages(results: WebResult[], deps: WebRetrieveDeps, chars: number, warnings: string[]): Promise<Candidate[]> {
  const fetchPage = deps.fetchPage ?? defaultPageFetcher();
  const timeoutMs = deps.pageTimeoutMs ?? DEFAULT_PAGE_TIMEOUT_MS;
  const perResult = await Promise.all(
    results.map(async (result): Promise<Candidate[]> => {
      const fallback = result.snippet.trim() ? [{ text: result.snippet.trim(), title: result.title, url: result.url }] : [];
      try {
        const page = await withTimeout((signal) => fetchPage(result.url, signal), timeoutMs, hostOf(result.url), deps.signal);
        const passages = splitIntoPassages(page.text, chars);
        if (passages.length === 0) {
          warnings.push(`${hostOf(result.url)}: no readable text; using the search snippet`);
          return fallback;
        }
        const title = page.title.trim() || result.title;
        return passages.map((text) => ({ text, title, url: result.url }));
      } catch (err) {
        if (deps.signal?.aborted) throw new TeamKbError('CANCELLED', 'Web search was cancelled', { cause: err });
        warnings.push(`${hostOf(result.url)}: ${describeError(err)}; using the search snippet`);
        return fallback;
      }
    }),
  );
  return perResult.flat();
}

function dedupe(candidates: Candidate[]): Candidate[] {
  const seen = new Set<string>();
  return candidates.filter((c) => {
    const key = c.text.replace(/\s+/g, ' ');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

async function rank(question: string, candidates: Candidate[], deps: WebRetrieveDeps, topPassages: number, warnings: string[]) {
  const lexical = lexicalScores(
    question,
    candidates.map((c) => `${c.title}\n${c.text}`),
    tokenize,
  );
  let scored = candidates.map((c, i) => ({ ...c, score: lexical[i] ?? 0 }));
  if (deps.embedder && scored.length > 0) {
    const pool = [...scored]
      .sort((a, b) => b.score - a.score)
      .slice(0, Math.max(MIN_EMBED_CANDIDATES, topPassages * EMBED_CANDIDATES_PER_PASSAGE));
    try {
      const [queryVector, ...vectors] = [
        ...(await deps.embedder.embed([question], 'query', deps.signal)),
        ...(await deps.embedder.embed(
          pool.map((c) => c.text),
          'passage',
          deps.signal,
        )),
      ];
      if (!queryVector) throw new Error('the embedder returned no vector');
      scored = pool.map((c, i) => {
        const vector = vectors[i];
        const dense = vector ? cosine01(queryVector, vector) : 0;
        return { ...c, score: LEXICAL_WEIGHT * c.score + (1 - LEXICAL_WEIGHT) * dense };
      });
    } catch (err) {
      if (deps.signal?.aborted) throw new TeamKbError('CANCELLED', 'Web search was cancelled', { cause: err });
      warnings.push(`embedder ${deps.embedder.id}: ${describeError(err)}; ranked by keywords only`);
    }
  }
  return pickDiverse(
    scored.sort((a, b) => b.score - a.score),
    topPassages,
  );
}

/** Best first, but at most half of the passages from one page while other pages have some to give. */
function pickDiverse(sorted: WebPassage[], n: number): WebPassage[] {
  const perPage = Math.max(1, Math.ceil(n / 2));
  const counts = new Map<string, number>();
  const picked: WebPassage[] = [];
  const held: WebPassage[] = [];
  for (const passage of sorted) {
    if (picked.length >= n) break;
    const count = counts.get(passage.url) ?? 0;
    if (count >= perPage) {
      held.push(passage);
      continue;
    }
    counts.set(passage.url, count + 1);
    picked.push(passage);
  }
  for (const passage of held) if (picked.length < n) picked.push(passage);
  return picked.sort((a, b) => b.score - a.score).map((p) => ({ ...p, score: Math.max(0, Math.min(1, p.score)) }));
}

/**
 * Web retrieval up to ranked passages: search, read the top pages concurrently, split them into
 * passages and rank those against the question (BM25, plus embedding cosine when an embedder is
 * given). Pages that cannot be read contribute their search snippet instead. Throws
 * SEARCH_FAILED only when every engine fails, and CANCELLED when the signal aborts.
 */
export async function webRetrieve(question: string, deps: WebRetrieveDeps): Promise<WebRetrieval> {
  const topResults = deps.topResults ?? 5;
  const topPassages = deps.topPassages ?? 6;
  const { results, warnings } = await queryEngines(deps.engines, question, topResults, deps.mode ?? 'first', deps.signal);
  let passages: WebPassage[] = [];
  if (results.length > 0) {
    const candidates = dedupe(await readPages(results, deps, deps.passageChars ?? DEFAULT_PASSAGE_CHARS, warnings));
    passages = await rank(question, candidates, deps, topPassages, warnings);
  }
  if (warnings.length > 0) deps.logger?.warn({ warnings }, 'web retrieval: some engines or pages failed');
  return { passages, results, warnings };
}
