import { isRetryable } from './status.js';

export interface RetryPolicy {
  /** Attempts after the first one. */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 4, baseDelayMs: 200, maxDelayMs: 3_000 };

/** Exponential backoff with full jitter: delay n is random in [0, min(max, base·2^n)]. */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  return Math.round(random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt));
}

/**
 * Runs `task` until it succeeds, fails for good, or the bound is reached. Tasks throw a
 * MilvusStatusError for failed response statuses, so rate limits and "not ready" answers are
 * retried exactly like dropped connections.
 */
export async function withRetry<T>(
  task: () => Promise<T>,
  policy: RetryPolicy = DEFAULT_RETRY,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await task();
    } catch (err) {
      if (attempt >= policy.retries || !isRetryable(err)) throw err;
      await sleep(backoffDelay(policy, attempt));
    }
  }
}
