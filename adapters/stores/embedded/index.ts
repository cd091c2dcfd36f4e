import { availableParallelism } from 'node:os';
import type { Logger } from 'pino';
import { TeamKbError } from '../../../core/errors.js';
import type { VectorStore } from '../../../core/vector-store.js';
import { EmbeddedStore, type EmbeddedStoreOptions } from './embedded-store.js';

export { EmbeddedStore, tableName } from './embedded-store.js';

export interface EmbeddedStoreConfig extends EmbeddedStoreOptions {
  /** Data directory; tables live in `<dir>/store`. */
  dir: string;
  logger?: Logger;
  /**
   * Other processes write these files too (a queue worker beside web replicas): every read checks
   * for their newer versions instead of keeping the table as this process last saw it.
   */
  otherWriters?: boolean;
}

/**
 * Opens (creating if needed) the embedded LanceDB store under `<dir>/store`.
 * The returned store also offers `optimize(kb)` to bring indexes up to date at once.
 */
export async function createEmbeddedStore(opts: EmbeddedStoreConfig): Promise<EmbeddedStore & VectorStore> {
  // LanceDB sizes its CPU pool by the core count; on 2 cores building a full-text index over
  // ~100k rows deadlocks in that pool. A few extra threads avoid it and cost nothing otherwise.
  process.env.LANCE_CPU_THREADS ??= String(Math.max(4, availableParallelism() + 2));
  const { connect } = await import('@lancedb/lancedb');
  const path = `${opts.dir.replace(/\/+$/, '')}/store`;
  try {
    const db = await connect(path, opts.otherWriters ? { readConsistencyInterval: 0 } : {});
    return new EmbeddedStore(db, opts.logger, opts);
  } catch (err) {
    throw new TeamKbError(
      'STORE_UNAVAILABLE',
      `Cannot open the embedded store at ${path}: check the directory exists and is writable.`,
      {
        cause: err,
        details: { path },
      },
    );
  }
}
