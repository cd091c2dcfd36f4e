import { createEmbeddedStore } from '../../adapters/stores/embedded/index.js';
import { migrateKb } from '../../adapters/stores/migrate.js';
import { createMilvusStore } from '../../adapters/stores/milvus/index.js';
import type { CoreServices } from '../../bots/app-services.js';
import { TeamKbError } from '../../core/errors.js';
import type { VectorStore } from '../../core/vector-store.js';

/** Copies every KB (or the named ones) with its vectors from the configured store to the other one. */
export async function migrateStores(core: CoreServices, to: string, names?: string[]): Promise<void> {
  if (to !== 'milvus' && to !== 'embedded')
    throw new TeamKbError('INVALID_INPUT', `--to must be milvus or embedded (got "${to}").`);
  const from = core.store;
  if (from.id === to) {
    throw new TeamKbError('INVALID_INPUT', `The configured store is already ${to}. Set TEAMKB_STORE to the store to copy from.`);
  }
  const target: VectorStore =
    to === 'milvus'
      ? await createMilvusStore({ ...core.config.kb.milvus, logger: core.logger })
      : await createEmbeddedStore({ dir: core.dataDir, logger: core.logger });
  try {
    const kbs = core.registry.listKbs().filter((kb) => !names || names.includes(kb.name));
    for (const name of names ?? [])
      if (!kbs.some((k) => k.name === name)) throw new TeamKbError('KB_NOT_FOUND', `Knowledge base "${name}" does not exist.`);
    for (const kb of kbs) {
      let last = 0;
      const { copied } = await migrateKb(from, target, kb.name, kb.dim, ({ copied, total }) => {
        if (copied - last >= 5000 || copied === total) {
          last = copied;
          process.stderr.write(`  ${kb.name}: ${copied}/${total} chunks\n`);
        }
      });
      core.registry.updateKb(kb.name, { store: target.id });
      console.log(`Copied "${kb.name}": ${copied} chunks, count verified in ${target.id}.`);
    }
    console.log(`Done. Set TEAMKB_STORE=${to} (configs/kb.yaml "store") to serve from it.`);
  } finally {
    await target.close();
  }
}
