import type { MilvusApi } from './api.js';
import type { MilvusConnection } from './connection.js';
import { DEFAULT_RETRY, type RetryPolicy, withRetry } from './retry.js';
import { checkStatus, failureKind, type MilvusStatus, storeError } from './status.js';

/**
 * One Milvus call: its status is checked inside the retry, so rate limits and "not ready"
 * answers are retried like dropped connections. "Collection not found" and "not loaded" pass
 * through for the caller to read; every other failure becomes a typed error in words, is
 * reported to /healthz, and a lost server makes the next call connect afresh.
 */
export type MilvusCall = <T>(
  what: string,
  task: (client: MilvusApi) => Promise<T>,
  statusOf: (res: T) => MilvusStatus | undefined,
) => Promise<T>;

export function milvusCaller(connection: MilvusConnection, address: string, retry: RetryPolicy = DEFAULT_RETRY): MilvusCall {
  return async (what, task, statusOf) => {
    const server = await connection.get();
    try {
      const res = await withRetry(async () => {
        const res = await task(server.client);
        checkStatus(statusOf(res), what);
        return res;
      }, retry);
      connection.healthy();
      return res;
    } catch (err) {
      const kind = failureKind(err);
      if (kind === 'not-found' || kind === 'not-loaded') {
        connection.healthy();
        throw err;
      }
      const error = storeError(err, what, address);
      if (kind === 'unreachable') await connection.lost(server, error.message);
      else if (kind !== 'failed') connection.report(error.message);
      throw error;
    }
  };
}
