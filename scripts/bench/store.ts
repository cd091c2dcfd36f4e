import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmbeddedStore } from '../../adapters/stores/embedded/index.js';
import { createMilvusStore } from '../../adapters/stores/milvus/index.js';
import { loadConfig } from '../../core/config/load.js';
import type { VectorStore } from '../../core/vector-store.js';
import { fill, measure, sizeLabel } from './_measure.js';
import { syntheticCorpus } from './_synthetic.js';
import type { BenchOptions, BenchReport, BenchRow } from './harness.js';

const DIM = 512;

interface Candidate {
  name: string;
  open: () => Promise<{ store: VectorStore; settle: (kb: string) => Promise<void>; cleanup: () => void }>;
}

/** Milvus when configured (kb.milvus in configs/kb.yaml, MILVUS_ADDRESS / MILVUS_TOKEN). */
function milvusSettings(): { address: string; token?: string } {
  try {
    return loadConfig().kb.milvus;
  } catch {
    return { address: '' };
  }
}

function candidates(): Candidate[] {
  const list: Candidate[] = [
    {
      name: 'embedded',
      open: async () => {
        const dir = mkdtempSync(join(tmpdir(), 'teamkb-bench-store-'));
        const store = await createEmbeddedStore({ dir });
        return { store, settle: (kb) => store.optimize(kb), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
      },
    },
  ];
  const { address, token } = milvusSettings();
  if (address) {
    list.push({
      name: 'milvus',
      open: async () => ({
        store: await createMilvusStore({ address, token }),
        settle: async () => undefined,
        cleanup: () => undefined,
      }),
    });
  }
  return list;
}

/** Insert throughput and hybrid latency for every configured store (Milvus when MILVUS_ADDRESS is set). */
export async function run(opts: BenchOptions): Promise<BenchReport> {
  const sizes = opts.quick ? [10_000] : [10_000, 100_000];
  const rows: BenchRow[] = [];
  const notes = ['insert = upsert in batches of 2000 (tokenizing included), until searchable; hybrid top-10, 200 queries'];
  if (!milvusSettings().address) notes.push('milvus skipped: MILVUS_ADDRESS is not set (no Milvus server on this machine)');
  for (const candidate of candidates()) {
    for (const size of sizes) {
      const corpus = syntheticCorpus({ size, dim: DIM });
      const { store, settle, cleanup } = await candidate.open();
      const kb = `bench-${size}`;
      try {
        await store.drop(kb);
        await store.ensure(kb, DIM);
        const insertMs = await fill(store, kb, corpus, size);
        await settle(kb);
        const latency = await measure(200, async (i) => {
          const q = corpus.query(i);
          const hits = await store.search(kb, { mode: 'hybrid', text: q.text, vector: q.vector, topK: 10 });
          return hits.some((h) => h.chunk.id === `c${q.sourceIndex}`);
        });
        const label = `${candidate.name} ${sizeLabel(size)}`;
        rows.push(
          { name: `${label} insert`, value: size / (insertMs / 1000), unit: 'chunks/s' },
          { name: `${label} hybrid p50`, value: latency.p50, unit: 'ms' },
          { name: `${label} hybrid p95`, value: latency.p95, unit: 'ms' },
        );
        await store.drop(kb);
      } finally {
        await store.close();
        cleanup();
      }
    }
  }
  return { name: opts.quick ? 'store-quick' : 'store', rows, notes };
}
