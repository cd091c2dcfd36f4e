import { createEmbeddedStore } from '../../adapters/stores/embedded/index.js';
import { createMilvusStore } from '../../adapters/stores/milvus/index.js';
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

export async function createStore(
  config: TeamKbConfig,
  dataDir: string,
  logger: Logger,
): Promise<VectorStore & { problem?: string }> {
  if (config.kb.store === 'embedded') return createEmbeddedStore({ dir: dataDir, logger: logger.child({ component: 'store' }) });
  const { milvus } = config.kb;
  if (!milvus.address) {
    const reason = 'TEAMKB_STORE=milvus but MILVUS_ADDRESS is not set (e.g. 127.0.0.1:19530; see docker-compose.yml).';
    logger.error(reason);
    return Object.assign(unavailableStore('milvus', reason), { problem: reason });
  }
  try {
    return await createMilvusStore({ ...milvus, logger: logger.child({ component: 'store' }) });
  } catch (err) {
    const reason = `Milvus at ${milvus.address} is unreachable: ${describeError(err)}. Knowledge-base search is off; plain chat still works.`;
    logger.error(reason);
    return Object.assign(unavailableStore('milvus', reason), { problem: reason });
  }
}
