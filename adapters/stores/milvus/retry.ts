export interface RetryPolicy {
  /** Attempts after the first one. */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 4, baseDelayMs: 200, maxDelayMs: 3_000 };

// gRPC UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, ABORTED; Milvus rate limits and
// "not ready" states while a node restarts.
const TRANSIENT_GRPC_CODES = new Set([14, 4, 8, 10]);
const TRANSIENT_TEXT =
  /unavailable|deadline exceeded|econnrefused|econnreset|etimedout|rate ?limit|not ?ready|too many requests/i;

export function isTransient(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'number' && TRANSIENT_GRPC_CODES.has(code)) return true;
  const message = (err as { message?: unknown }).message;
  return typeof message === 'string' && TRANSIENT_TEXT.test(message);
}

/** Exponential backoff with full jitter: delay n is random in [0, min(max, base·2^n)]. */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  return Math.round(random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt));
}

export async function withRetry<T>(
  task: () => Promise<T>,
  policy: RetryPolicy = DEFAULT_RETRY,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await task();
    } catch (err) {
      if (attempt >= policy.retries || !isTransient(err)) throw err;
      await sleep(backoffDelay(policy, attempt));
    }
  }
}
