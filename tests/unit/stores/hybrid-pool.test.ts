import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbeddedStore } from '../../../adapters/stores/embedded/index.js';
import { HYBRID_POOL } from '../../../core/retrieval/pool.js';
import type { Hit, VectorStore } from '../../../core/vector-store.js';
import { fill } from '../../../scripts/bench/_measure.js';
import { syntheticCorpus } from '../../../scripts/bench/_synthetic.js';
import { referenceFusion } from '../../../scripts/eval/fusion-grid.js';

// A KB three times the pool: fusing the top 200 of each list and fusing the complete lists differ.
const SIZE = 3 * HYBRID_POOL;
const DIM = 32;
const QUERIES = 40;
const corpus = syntheticCorpus({ size: SIZE, dim: DIM, seed: 7, topics: 4 });
const dir = mkdtempSync(join(tmpdir(), 'teamkb-hybrid-pool-'));
let store: VectorStore;

beforeAll(async () => {
  store = await createEmbeddedStore({ dir });
  await store.ensure('kb', DIM);
  await fill(store, 'kb', corpus, SIZE);
  // Index upkeep now, not in the middle of a comparison (BM25 statistics move when it runs).
  await store.optimize?.('kb');
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const ids = (hits: Hit[]) => hits.map((h) => h.chunk.id);

async function compare(pool?: number): Promise<number> {
  let differing = 0;
  for (let i = 0; i < QUERIES; i++) {
    const { text, vector } = corpus.query(i);
    const fusion = { method: 'weighted' as const, denseWeight: 0.5, pool };
    const hybrid = await store.search('kb', { mode: 'hybrid', text, vector, topK: 10, fusion });
    const [dense, bm25] = await Promise.all([
      store.search('kb', { mode: 'dense', vector, topK: SIZE }),
      store.search('kb', { mode: 'bm25', text, topK: SIZE }),
    ]);
    if (ids(hybrid).join() !== ids(referenceFusion(dense, bm25, 10)).join()) differing++;
  }
  return differing;
}

describe('hybrid search in a small KB', () => {
  it('ranks like the reference fusion over complete lists, which a 200-deep pool does not', async () => {
    expect(await compare()).toBe(0);
    expect(await compare(HYBRID_POOL)).toBeGreaterThan(0);
  });

  it('keeps each hit’s own evidence as its score, descending', async () => {
    const { text, vector } = corpus.query(0);
    const hits = await store.search('kb', { mode: 'hybrid', text, vector, topK: 5 });
    const [dense] = await store.search('kb', { mode: 'dense', vector, topK: 1 });
    expect(hits[0]?.score).toBeGreaterThan(0);
    expect(hits[0]?.score).toBeLessThanOrEqual(Math.max(dense?.score ?? 0, 1));
    for (let i = 1; i < hits.length; i++) expect(hits[i]!.score).toBeLessThanOrEqual(hits[i - 1]!.score);
  });
});
