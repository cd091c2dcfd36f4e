import type { TeamKbConfig } from '../../core/config/schema.js';
import { describeError, TeamKbError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { VectorStore } from '../../core/vector-store.js';

/** A store that answers every call with the reason it is unavailable (the bot keeps running). */
function unavailableStore(id: string, reason: string): VectorStore {
  const fail = async (): Promise<never> => {
    throw new TeamKbError('STORE_UNAVAILABLE', reason);
  };
  return {
    id,
    ensure: fail,
    drop: fail,
    upsert: fail,
    deleteByFile: fail,
    search: fail,
    count: fail,
    scan: () => ({
      [Symbol.asyncIterator]: () => ({ next: fail }),
    }),
    close: async () => undefined,
  };
}

/**
 * Holds the embedded store's calls while another process writes its files: LanceDB takes one writer,
 * and the first start ingests the sample KB in a child process. A search or upload arriving meanwhile
 * waits for that process to end, then opens the store and sees everything it wrote.
 */
export class StoreHold {
  private until: Promise<unknown> = Promise.resolve();

  hold(until: Promise<unknown>): void {
    const before = this.until;
    this.until = Promise.all([before, until.catch(() => undefined)]);
  }

  wait(): Promise<unknown> {
    return this.until;
  }
}

/**
 * Opens the store on first use: commands and servers that never touch vectors (`kb list`, an idle
 * start) never load the store's client, its native module or its data files.
 */
function openOnFirstUse(id: string, open: () => Promise<VectorStore>, hold?: StoreHold): VectorStore {
  let opened: Promise<VectorStore> | undefined;
  const store = async () => {
    await hold?.wait();
    opened ??= open();
    return opened;
  };
  return {
    id,
    ensure: async (kb, dim) => (await store()).ensure(kb, dim),
    drop: async (kb) => (await store()).drop(kb),
    upsert: async (kb, chunks) => (await store()).upsert(kb, chunks),
    deleteByFile: async (kb, fileId) => (await store()).deleteByFile(kb, fileId),
    search: async (kb, query) => (await store()).search(kb, query),
    count: async (kb) => (await store()).count(kb),
    scan: (kb, batchSize) => ({
      async *[Symbol.asyncIterator]() {
        yield* (await store()).scan(kb, batchSize);
      },
    }),
    optimize: async (kb) => (await store()).optimize?.(kb),
    chunksAt: async (kb, fileId, ordinals) => (await store()).chunksAt?.(kb, fileId, ordinals) ?? [],
    chunkById: async (kb, id) => (await store()).chunkById?.(kb, id),
    close: async () => {
      if (opened) await (await opened).close();
    },
  };
}

export async function createStore(
  config: TeamKbConfig,
  dataDir: string,
  logger: Logger,
  hold?: StoreHold,
): Promise<VectorStore & { problem?: string }> {
  // Each store client is imported only when it is the configured one.
  if (config.kb.store === 'embedded')
    return openOnFirstUse(
      'embedded',
      async () =>
        (await import('../../adapters/stores/embedded/index.js')).createEmbeddedStore({
          dir: dataDir,
          logger: logger.child({ component: 'store' }),
          otherWriters: config.basic.role !== 'all',
        }),
      hold,
    );
  const { milvus } = config.kb;
  if (!milvus.address) {
    const reason = 'TEAMKB_STORE=milvus but MILVUS_ADDRESS is not set (e.g. 127.0.0.1:19530; see docker-compose.yml).';
    logger.error(reason);
    return Object.assign(unavailableStore('milvus', reason), { problem: reason });
  }
  try {
    const { createMilvusStore } = await import('../../adapters/stores/milvus/index.js');
    return await createMilvusStore({ ...milvus, logger: logger.child({ component: 'store' }) });
  } catch (err) {
    const reason = `Milvus at ${milvus.address} is unreachable: ${describeError(err)}. Knowledge-base search is off; plain chat still works.`;
    logger.error(reason);
    return Object.assign(unavailableStore('milvus', reason), { problem: reason });
  }
}
