import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { createFakeEmbedder } from '../../adapters/models/embedder-fake.js';
import { createSqlRegistry } from '../../adapters/registry/sql-registry.js';
import { openSqlite } from '../../adapters/registry/sqlite-db.js';
import { createEmbeddedStore } from '../../adapters/stores/embedded/index.js';
import type { StoredChunk } from '../../core/chunk.js';
import type { DocumentLoader } from '../../core/ingest/types.js';
import { createKbService, type LocalKbService } from '../../core/kb/service.js';
import { createLoaders } from '../../core/loaders/index.js';
import type { Registry } from '../../core/registry.js';
import type { VectorStore } from '../../core/vector-store.js';
import { settle } from '../eval/corpus-kb.js';
import { syntheticCorpus } from './_synthetic.js';

export const BENCH_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export { SHARED_FIXTURES } from '../lib/shared-fixtures.js';

/** Other work on the machine skews timings: the 1-minute load average, to print beside them. */
export const loadNote = (): string => `1-minute load average at start: ${(loadavg()[0] ?? 0).toFixed(2)} (2 = both cores busy)`;

/** The prompt templates the product ships (configs/prompts.yaml). */
export function shippedPrompts(): Record<string, string> {
  return parseYaml(readFileSync(join(BENCH_ROOT, 'configs/prompts.yaml'), 'utf8')) as Record<string, string>;
}

export interface BenchKb {
  kb: LocalKbService;
  registry: Registry;
  store: VectorStore;
  name: string;
  /** Questions whose words occur in the KB (drawn from its chunks). */
  questions: string[];
  close(): Promise<void>;
}

/**
 * A real KB service (SQLite registry, embedded store, fake embedder) over `size` synthetic chunks
 * written straight into the store, with their files registered as ready so search trusts them.
 */
export async function openSyntheticKb(
  size: number,
  opts: { dim?: number; questions?: number; loader?: DocumentLoader } = {},
): Promise<BenchKb> {
  const dim = opts.dim ?? 512;
  const dir = mkdtempSync(join(tmpdir(), 'teamkb-bench-kb-'));
  const db = openSqlite(join(dir, 'teamkb.sqlite'));
  const registry = createSqlRegistry(db);
  const store = await createEmbeddedStore({ dir: join(dir, 'store') });
  const embedder = createFakeEmbedder(dim);
  const kb = createKbService({
    registry,
    store,
    embedder,
    loader: opts.loader ?? createLoaders({ ocrEngine: 'none' }),
    filesDir: join(dir, 'kbs'),
    settings: { chunkSize: 500, chunkOverlap: 80, maxFileBytes: 100 * 2 ** 20, embedBatchSize: 16 },
    search: { topK: 5, scoreThreshold: 0, mode: 'hybrid' },
  });
  const name = 'bench';
  await kb.createKb(name);
  const corpus = syntheticCorpus({ size, dim });
  const files = new Map<string, number>();
  const batch: StoredChunk[] = [];
  const flush = async () => {
    if (batch.length > 0) await store.upsert(name, batch.splice(0));
  };
  for (let i = 0; i < size; i++) {
    const c = corpus.chunk(i);
    files.set(c.fileId, (files.get(c.fileId) ?? 0) + 1);
    batch.push({ ...c, meta: { source: `${c.fileId}.md`, heading: `Section ${c.ordinal}` } });
    if (batch.length >= 2000) await flush();
  }
  await flush();
  await settle(store, name);
  for (const [fileId, chunks] of files) {
    registry.upsertFile({
      id: fileId,
      kb: name,
      name: `${fileId}.md`,
      sha256: fileId,
      size: 0,
      status: 'ready',
      error: null,
      chunks,
    });
  }
  const questions = Array.from({ length: opts.questions ?? 64 }, (_, i) => corpus.query(i).text);
  return {
    kb,
    registry,
    store,
    name,
    questions,
    async close() {
      await store.close().catch(() => undefined);
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
