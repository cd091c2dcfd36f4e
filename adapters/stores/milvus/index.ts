import type { Logger } from 'pino';
import { TeamKbError } from '../../../core/errors.js';
import type { MilvusApi } from './api.js';
import { MilvusStore } from './milvus-store.js';
import { DEFAULT_RETRY, type RetryPolicy, withRetry } from './retry.js';
import { supportsFullText } from './schema.js';

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
  /** A ready client (tests); by default one is created from the options above. */
  client?: MilvusApi;
}

/** Connects to Milvus, checks it answers and which version it runs, and returns the store. */
export async function createMilvusStore(opts: MilvusStoreOptions): Promise<MilvusStore> {
  if (!opts.address) {
    throw new TeamKbError('CONFIG_INVALID', 'kb.milvus.address is empty: set it (e.g. localhost:19530) or MILVUS_ADDRESS.');
  }
  const client = opts.client ?? (await connect(opts));
  let version: string;
  try {
    version = (await withRetry(() => client.getVersion(), opts.retry ?? DEFAULT_RETRY)).version;
  } catch (err) {
    await client.closeConnection().catch(() => undefined);
    throw new TeamKbError(
      'STORE_UNAVAILABLE',
      `Cannot reach Milvus at ${opts.address}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}. Check that the server is running (docker compose up milvus), the host and port (default 19530), TLS (kb.milvus.ssl) and the token or username/password.`,
      { cause: err, details: { address: opts.address } },
    );
  }
  const fullText = supportsFullText(version);
  if (fullText) opts.logger?.info({ address: opts.address, version }, 'connected to Milvus');
  else opts.logger?.warn({ address: opts.address, version }, 'Milvus before 2.5: dense search only, no BM25 or hybrid');
  return new MilvusStore({ client, address: opts.address, version, fullText, logger: opts.logger, retry: opts.retry });
}

async function connect(opts: MilvusStoreOptions): Promise<MilvusApi> {
  const { MilvusClient } = await import('@zilliz/milvus2-sdk-node');
  const client = new MilvusClient({
    address: opts.address,
    ...(opts.token ? { token: opts.token } : {}),
    ...(opts.username ? { username: opts.username, password: opts.password ?? '' } : {}),
    ...(opts.database ? { database: opts.database } : {}),
    ssl: opts.ssl ?? false,
    logLevel: 'error',
  });
  return client as unknown as MilvusApi;
}
