import type { LookupAddress, LookupOptions } from 'node:dns';
import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Agent } from 'undici';
import { TeamKbError } from '../../core/errors.js';
import { bareHost, type ResolvedAddress, resolveFetchTarget, type TargetPolicy } from './fetch-target.js';

export type { HostLookup, ResolvedAddress } from './fetch-target.js';

export const DEFAULT_FETCH_TIMEOUT_MS = 8_000;
export const DEFAULT_MAX_PAGE_BYTES = 2 * 1024 * 1024;
export const DEFAULT_MAX_REDIRECTS = 5;
export const DEFAULT_USER_AGENT = 'Mozilla/5.0 (compatible; TeamKB/0.1; +https://github.com/teamkb)';

export interface SafeFetchOptions extends TargetPolicy {
  timeoutMs?: number;
  maxBytes?: number;
  maxRedirects?: number;
  userAgent?: string;
  /** Which Content-Types are accepted; default: HTML and plain text. */
  acceptContentType?: (contentType: string) => boolean;
  signal?: AbortSignal;
}

export interface FetchedBody {
  /** The final URL after redirects. */
  url: string;
  status: number;
  contentType: string;
  bytes: Buffer;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export function isHtmlOrText(contentType: string): boolean {
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return (
    type === '' || type === 'text/html' || type === 'application/xhtml+xml' || type === 'text/plain' || type === 'text/markdown'
  );
}

type LookupCallback = (err: Error | null, address: string | LookupAddress[], family?: number) => void;

/** A dispatcher whose every connection goes to the already-checked address. */
function pinnedAgent(undici: typeof import('undici'), target: ResolvedAddress, timeoutMs: number): Agent {
  const lookup = (_host: string, options: LookupOptions, callback: LookupCallback) => {
    if (options?.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
  return new undici.Agent({ connect: { lookup, timeout: timeoutMs }, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
}

function tooLarge(url: URL, maxBytes: number): TeamKbError {
  const limit = maxBytes >= 1024 * 1024 ? `${(maxBytes / 1024 / 1024).toFixed(1)} MB` : `${maxBytes} bytes`;
  return new TeamKbError('FETCH_FAILED', `Page at ${url.host} is larger than the ${limit} limit`, {
    details: { url: url.href, reason: 'too-large', maxBytes },
  });
}

/** The body as sent before content coding; the size limit then applies to the decompressed bytes. */
function decompressed(body: Readable, encoding: string | undefined): Readable {
  const coding = encoding?.trim().toLowerCase();
  const decoder =
    coding === 'gzip' || coding === 'x-gzip'
      ? createGunzip()
      : coding === 'deflate'
        ? createInflate()
        : coding === 'br'
          ? createBrotliDecompress()
          : undefined;
  if (!decoder) return body;
  body.on('error', (err) => decoder.destroy(err));
  decoder.on('close', () => body.destroy());
  return body.pipe(decoder);
}

async function readLimited(
  body: AsyncIterable<Buffer> & { destroy(err?: Error): unknown },
  url: URL,
  maxBytes: number,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += chunk.length;
    if (total > maxBytes) {
      body.destroy();
      throw tooLarge(url, maxBytes);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function failureFor(err: unknown, url: URL, options: SafeFetchOptions, deadline: AbortSignal): TeamKbError {
  if (err instanceof TeamKbError) return err;
  if (options.signal?.aborted) return new TeamKbError('CANCELLED', `Fetching ${url.host} was cancelled`, { cause: err });
  const timeoutMs = options.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS;
  const code = (err as { code?: string }).code ?? '';
  if (deadline.aborted || /TIMEOUT/.test(code)) {
    return new TeamKbError('FETCH_FAILED', `${url.host} did not answer within ${timeoutMs / 1000} s`, {
      cause: err,
      details: { url: url.href, reason: 'timeout' },
    });
  }
  return new TeamKbError('FETCH_FAILED', `Could not fetch ${url.host}: ${(err as Error).message ?? String(err)}`, {
    cause: err,
    details: { url: url.href, reason: 'network' },
  });
}

/** Rejects when the signal aborts, for steps (DNS) that take no signal themselves. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

type HopOutcome = { kind: 'page'; page: FetchedBody } | { kind: 'redirect'; to: URL };

async function fetchOnce(url: URL, options: SafeFetchOptions, signal: AbortSignal): Promise<HopOutcome> {
  const target = await untilAborted(resolveFetchTarget(url, options), signal);
  const timeoutMs = options.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS;
  // undici loads with the first page fetched: a server that never fetches a page never holds it.
  const undici = await import('undici');
  const agent = pinnedAgent(undici, target, timeoutMs);
  try {
    const response = await undici.request(url, {
      method: 'GET',
      dispatcher: agent,
      signal,
      headers: {
        'user-agent': options.userAgent ?? DEFAULT_USER_AGENT,
        accept: 'text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.1',
        'accept-encoding': 'gzip, deflate, br',
      },
    });
    const header = (name: string) => {
      const value = response.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    const location = header('location');
    if (REDIRECT_STATUSES.has(response.statusCode) && location) {
      await response.body.dump();
      return { kind: 'redirect', to: new URL(location, url) };
    }
    const contentType = header('content-type') ?? '';
    const accept = options.acceptContentType ?? isHtmlOrText;
    if (response.statusCode < 200 || response.statusCode >= 300) {
      await response.body.dump();
      throw new TeamKbError('FETCH_FAILED', `${url.host} answered HTTP ${response.statusCode} for ${url.pathname}`, {
        details: { url: url.href, reason: 'status', status: response.statusCode },
      });
    }
    if (!accept(contentType)) {
      await response.body.dump();
      throw new TeamKbError('FETCH_FAILED', `${url.host} sent ${contentType.split(';')[0]}, not a web page`, {
        details: { url: url.href, reason: 'content-type', contentType },
      });
    }
    const maxBytes = options.maxBytes ?? DEFAULT_MAX_PAGE_BYTES;
    const declared = Number(header('content-length'));
    if (Number.isFinite(declared) && declared > maxBytes) {
      response.body.destroy();
      throw tooLarge(url, maxBytes);
    }
    const bytes = await readLimited(decompressed(response.body, header('content-encoding')), url, maxBytes);
    return { kind: 'page', page: { url: url.href, status: response.statusCode, contentType, bytes } };
  } finally {
    agent.destroy().catch(() => undefined);
  }
}

/**
 * GETs a public web page: http/https only, every hop's address checked and pinned, redirects
 * followed by hand, no cookies or credentials, bounded time and size, HTML/text only.
 */
export async function safeFetch(input: string, options: SafeFetchOptions = {}): Promise<FetchedBody> {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new TeamKbError('INVALID_INPUT', `Not a valid URL: ${input.slice(0, 200)}`);
  }
  const deadline = AbortSignal.timeout(options.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  for (let hop = 0; ; hop++) {
    url.username = '';
    url.password = '';
    url.hash = '';
    let outcome: HopOutcome;
    try {
      outcome = await fetchOnce(url, options, signal);
    } catch (err) {
      throw failureFor(err, url, options, deadline);
    }
    if (outcome.kind === 'page') return outcome.page;
    if (hop >= maxRedirects) {
      throw new TeamKbError('FETCH_FAILED', `${bareHost(url)} redirected more than ${maxRedirects} times`, {
        details: { url: url.href, reason: 'redirects' },
      });
    }
    url = outcome.to;
  }
}
