import type { WebResult } from '../../core/search-engine.js';
import { asArray, callEngine, collectResults, field, plainText, readJson } from './engine-http.js';

/** How one JSON search API is asked and where its answer keeps the results. */
export interface JsonEngineCall {
  /** Engine name as users see it in errors, e.g. "Brave". */
  engine: string;
  url: URL;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** Sent as a JSON body (with a JSON content type) when present. */
  jsonBody?: Record<string, unknown>;
  /** Appended to 401/403 errors, e.g. which key to check. */
  authHint: string;
  timeoutMs?: number;
  /** Keys leading from the answer to the result list, e.g. ['web', 'results']. */
  resultsAt: string[];
  /** Keys of each result's title and snippet; the link is always under "url". */
  titleKey: string;
  snippetKey: string;
}

/** Number of results to ask an API for: at least one, at most what it allows per page. */
export function requestedCount(n: number, max: number): number {
  return Math.min(Math.max(n, 1), max);
}

/** Calls a JSON search API and maps its result list to web results (http(s) only, deduplicated, at most n). */
export async function queryJsonEngine(call: JsonEngineCall, n: number, signal?: AbortSignal): Promise<WebResult[]> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (call.jsonBody) headers['content-type'] = 'application/json';
  const response = await callEngine(
    call.engine,
    call.url,
    {
      method: call.method ?? 'GET',
      headers: { ...headers, ...call.headers },
      body: call.jsonBody ? JSON.stringify(call.jsonBody) : undefined,
      authHint: call.authHint,
      timeoutMs: call.timeoutMs,
    },
    signal,
  );
  const body = await readJson(call.engine, response);
  const list = call.resultsAt.reduce<unknown>((value, key) => field(value, key), body);
  const items = asArray(list).map((r) => ({
    title: plainText(field(r, call.titleKey)),
    url: String(field(r, 'url') ?? ''),
    snippet: plainText(field(r, call.snippetKey)),
  }));
  return collectResults(items, n);
}
