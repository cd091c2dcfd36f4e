import { type FeishuApiError, toApiError } from './api-error.js';

export interface RetryPolicy {
  /** Total time we may spend waiting between attempts. 0 = a single attempt. */
  budgetMs: number;
  /** First back-off when the server gives no Retry-After. Doubles each time. */
  baseMs?: number;
  maxDelayMs?: number;
  /** Non-rate-limit transient errors (5xx, dropped connection) get at most this many retries. */
  transientRetries?: number;
  onRetry?: (err: FeishuApiError, delayMs: number, attempt: number) => void;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `call` and retries rate limits (HTTP 429, code 99991400/230020) with the server's
 * Retry-After or an exponential back-off, until the budget is spent; then the last error is thrown.
 */
export async function withRetry<T>(what: string, call: () => Promise<T>, policy: RetryPolicy): Promise<T> {
  const baseMs = policy.baseMs ?? 250;
  const maxDelayMs = policy.maxDelayMs ?? 10_000;
  const transientRetries = policy.transientRetries ?? 2;
  let waited = 0;
  let transientCount = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (thrown) {
      const err = toApiError(what, thrown);
      if (!err.transient) throw err;
      if (!err.rateLimited && ++transientCount > transientRetries) throw err;
      const backoff = Math.min(maxDelayMs, baseMs * 2 ** (attempt - 1));
      const delay = Math.max(10, err.retryAfterMs ?? backoff * (0.75 + Math.random() * 0.5));
      if (waited + delay > policy.budgetMs) throw err;
      policy.onRetry?.(err, delay, attempt);
      waited += delay;
      await sleep(delay);
    }
  }
}
