/** Feishu's "too many requests" codes: 99991400 (app rate limit), 230020 (message update frequency). */
const RATE_LIMIT_CODES = new Set([99991400, 230020]);

/** A failed Open API call: HTTP status and/or the Feishu `code` from the body. */
export class FeishuApiError extends Error {
  readonly status?: number;
  readonly code?: number;
  /** From Retry-After / x-ogw-ratelimit-reset, when the server said how long to wait. */
  readonly retryAfterMs?: number;

  constructor(message: string, facts: { status?: number; code?: number; retryAfterMs?: number; cause?: unknown }) {
    super(message, facts.cause === undefined ? undefined : { cause: facts.cause });
    this.name = 'FeishuApiError';
    this.status = facts.status;
    this.code = facts.code;
    this.retryAfterMs = facts.retryAfterMs;
  }

  get rateLimited(): boolean {
    return this.status === 429 || (this.code !== undefined && RATE_LIMIT_CODES.has(this.code));
  }

  /** Worth another try: rate limits, server errors, dropped connections. */
  get transient(): boolean {
    return (
      this.rateLimited ||
      (this.status !== undefined && this.status >= 500) ||
      (this.status === undefined && this.code === undefined)
    );
  }
}

function header(headers: unknown, name: string): string | undefined {
  if (!headers || typeof headers !== 'object') return undefined;
  const value = (headers as Record<string, unknown>)[name];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

function retryAfterMs(headers: unknown): number | undefined {
  for (const name of ['retry-after', 'x-ogw-ratelimit-reset']) {
    const seconds = Number(header(headers, name));
    if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  }
  return undefined;
}

interface HttpErrorShape {
  message?: string;
  code?: string;
  response?: { status?: number; headers?: unknown; data?: unknown };
}

/** Normalises what the SDK throws (axios errors) or returns (`{code != 0}`) into a FeishuApiError. */
export function toApiError(what: string, thrown: unknown): FeishuApiError {
  if (thrown instanceof FeishuApiError) return thrown;
  const err = (thrown ?? {}) as HttpErrorShape;
  const body = (err.response?.data ?? {}) as { code?: unknown; msg?: unknown };
  const code = typeof body.code === 'number' ? body.code : undefined;
  const status = err.response?.status;
  const detail = typeof body.msg === 'string' ? body.msg : (err.message ?? String(thrown));
  return new FeishuApiError(`${what} failed${status ? ` (HTTP ${status})` : ''}${code ? ` code ${code}` : ''}: ${detail}`, {
    status,
    code,
    retryAfterMs: retryAfterMs(err.response?.headers),
    cause: thrown,
  });
}

/** A 2xx response whose body says `code != 0`. */
export function codeError(what: string, body: { code?: number; msg?: string }): FeishuApiError {
  return new FeishuApiError(`${what} failed: code ${body.code}: ${body.msg ?? 'no message'}`, { code: body.code });
}
