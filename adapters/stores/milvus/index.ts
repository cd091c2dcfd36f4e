import type { Logger } from 'pino';
import { TeamKbError } from '../../../core/errors.js';
import type { MilvusApi } from './api.js';
import { MilvusConnection } from './connection.js';
import { MilvusStore } from './milvus-store.js';
import type { RetryPolicy } from './retry.js';

export { collectionName, MilvusStore } from './milvus-store.js';

export interface MilvusStoreOptions {
  address: string;
  token?: string;
  username?: string;
  password?: string;
  database?: string;
  ssl?: boolean;
  logger?: Logger;
  retry?: RetryPolicy;
  /** How often to try again in the background while the server is away (ms; 0 = only on use). */
  reconnectMs?: number;
  /** How long a collection's description is trusted before it is read again (ms). */
  collectionTtlMs?: number;
  /** Makes clients (tests); by default each one is a new SDK client from the options above. */
  makeClient?: () => Promise<MilvusApi>;
  /** Throw when the first connection fails instead of returning a store that keeps trying. */
  requireConnection?: boolean;
}

/**
 * Connects to Milvus and returns the store. When the server does not answer yet the store is
 * still returned: `problem` says why, every call fails with STORE_UNAVAILABLE in words, and the
 * store connects by itself once the server is up (no restart).
 */
export async function createMilvusStore(opts: MilvusStoreOptions): Promise<MilvusStore> {
  if (!opts.address) {
    throw new TeamKbError('CONFIG_INVALID', 'kb.milvus.address is empty: set it (e.g. localhost:19530) or MILVUS_ADDRESS.');
  }
  const connection = new MilvusConnection({
    address: opts.address,
    makeClient: opts.makeClient ?? (() => newSdkClient(opts)),
    retry: opts.retry,
    logger: opts.logger,
    reconnectMs: opts.reconnectMs,
  });
  try {
    await connection.get();
  } catch (err) {
    if (opts.requireConnection) {
      await connection.close().catch(() => undefined);
      throw err;
    }
    opts.logger?.error({ address: opts.address }, connection.problem ?? String(err));
  }
  return new MilvusStore({
    connection,
    address: opts.address,
    logger: opts.logger,
    retry: opts.retry,
    collectionTtlMs: opts.collectionTtlMs,
  });
}

async function newSdkClient(opts: MilvusStoreOptions): Promise<MilvusApi> {
  const { MilvusClient } = await import('@zilliz/milvus2-sdk-node');
  const client = new MilvusClient({
    address: opts.address,
    ...(opts.token ? { token: opts.token } : {}),
    ...(opts.username ? { username: opts.username, password: opts.password ?? '' } : {}),
    ...(opts.database ? { database: opts.database } : {}),
    ssl: opts.ssl ?? false,
    logLevel: 'error',
  });
  // The constructor starts connecting at once; nobody may await that promise when the server is
  // down (we ask getVersion, which fails on its own), so keep its rejection from going unhandled.
  (client as unknown as { connectPromise?: Promise<unknown> }).connectPromise?.catch(() => undefined);
  return client as unknown as MilvusApi;
}
