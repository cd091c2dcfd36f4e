import { TeamKbError } from '../../core/errors.js';
import type { WebResult } from '../../core/search-engine.js';

export const DEFAULT_ENGINE_TIMEOUT_MS = 10_000;

export interface EngineHttpOptions {
  /** Per-request time limit (default 10 s). */
  timeoutMs?: number;
}

/** Joins a configured base URL (with or without a path prefix or trailing slash) and an API path. */
export function engineUrl(base: string, path: string, query: Record<string, string | number> = {}): URL {
  const url = new URL(path.replace(/^\//, ''), base.endsWith('/') ? base : `${base}/`);
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, String(value));
  return url;
}

function statusHint(status: number, authHint?: string): string {
  if ((status === 401 || status === 403) && authHint) return ` (${authHint})`;
  if (status === 429) return ' (rate limited; try again later)';
  return '';
}

/**
 * One HTTP call to a search API with a time limit; failures become SEARCH_FAILED errors that name
 * the engine and never contain the key.
 */
export async function callEngine(
  engine: string,
  url: URL,
  init: RequestInit & { authHint?: string; timeoutMs?: number },
  signal?: AbortSignal,
): Promise<Response> {
  const timeoutMs = init.timeoutMs ?? DEFAULT_ENGINE_TIMEOUT_MS;
  const deadline = AbortSignal.timeout(timeoutMs);
  const combined = signal ? AbortSignal.any([signal, deadline]) : deadline;
  const { authHint: _hint, timeoutMs: _timeout, ...requestInit } = init;
  let response: Response;
  try {
    response = await fetch(url, { ...requestInit, signal: combined, redirect: 'follow' });
  } catch (err) {
    if (signal?.aborted) throw new TeamKbError('CANCELLED', `${engine} search was cancelled`, { cause: err });
    const cause = (err as { cause?: { message?: string } }).cause?.message;
    const reason = deadline.aborted ? `no answer within ${timeoutMs / 1000} s` : (cause ?? (err as Error).message);
    throw new TeamKbError('SEARCH_FAILED', `${engine} search failed: ${reason} (${url.host})`, {
      cause: err,
      details: { engine, host: url.host },
    });
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    throw new TeamKbError(
      'SEARCH_FAILED',
      `${engine} search failed: HTTP ${response.status}${statusHint(response.status, init.authHint)}`,
      {
        details: { engine, host: url.host, status: response.status },
      },
    );
  }
  return response;
}

/** Reads a JSON body, turning a non-JSON answer into a SEARCH_FAILED error. */
export async function readJson(engine: string, response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new TeamKbError('SEARCH_FAILED', `${engine} search failed: the answer was not JSON (${text.slice(0, 60).trim()}…)`, {
      details: { engine },
    });
  }
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };

/** Snippets may carry highlighting tags and entities; users see plain text. */
export function plainText(value: unknown): string {
  if (typeof value !== 'string') return '';
  return value
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+|#39);/gi, (whole, name: string) => {
      if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
      if (name.startsWith('#')) return String.fromCodePoint(Number.parseInt(name.slice(1), 10));
      return ENTITIES[name.toLowerCase()] ?? whole;
    })
    .replace(/\s+/g, ' ')
    .trim();
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/** Keeps http(s) results with a URL, drops duplicates, and stops at n. */
export function collectResults(items: Array<{ title: string; url: string; snippet: string }>, n: number): WebResult[] {
  const seen = new Set<string>();
  const out: WebResult[] = [];
  for (const item of items) {
    if (out.length >= n) break;
    if (!/^https?:\/\//i.test(item.url) || seen.has(item.url)) continue;
    seen.add(item.url);
    out.push({ title: item.title || item.url, url: item.url, snippet: item.snippet });
  }
  return out;
}
