import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmbeddedStore } from '../../adapters/stores/embedded/index.js';
import { COMPLETE_LISTS_BELOW_CHUNKS, HYBRID_POOL } from '../../core/retrieval/pool.js';
import type { SearchMode } from '../../core/vector-store.js';
import { dirSize, fill, type Latency, measure, sizeLabel } from './_measure.js';
import { type SyntheticCorpus, syntheticCorpus } from './_synthetic.js';
import type { BenchOptions, BenchReport, BenchRow } from './harness.js';

const DIM = 512;
const TOP_K = 10;
const TARGET_P95_MS: Record<number, number> = { 10000: 10, 100000: 20, 1000000: 60 };

/**
 * Embedded-store search latency (dense, bm25, hybrid) at 4k / 10k / 100k / 1M synthetic chunks,
 * beside a brute-force cosine scan over the same vectors in plain JS. At 4k hybrid fuses complete
 * lists, measured against the same search over the 200-deep pool. `--quick`: 4k and 10k;
 * `--max-size=N`: skip sizes above N; `--sizes=a,b`: exactly these sizes.
 */
export async function run(opts: BenchOptions): Promise<BenchReport> {
  const maxArg = opts.args.find((a) => a.startsWith('--max-size='));
  const maxSize = maxArg ? Number(maxArg.split('=')[1]) : Number.POSITIVE_INFINITY;
  const sizesArg = opts.args.find((a) => a.startsWith('--sizes='));
  const defaults = opts.quick ? [4_000, 10_000] : [4_000, 10_000, 100_000, 1_000_000];
  const sizes = (sizesArg ? sizesArg.slice('--sizes='.length).split(',').map(Number) : defaults).filter((s) => s <= maxSize);
  const rows: BenchRow[] = [];
  const notes: string[] = [
    `synthetic chunks: dim ${DIM}, clustered unit vectors, jieba-segmented Chinese + English words; top-${TOP_K}; hybrid = weighted fusion of dense and bm25: complete lists below ${COMPLETE_LISTS_BELOW_CHUNKS} chunks (baseline: the same over the top ${HYBRID_POOL}), top-${HYBRID_POOL} above (baseline: the old 40-deep pool)`,
    'baseline: brute-force cosine over the same vectors in JS (dense only; no text search)',
  ];
  const extra: Record<string, unknown> = {};
  for (const size of sizes) {
    const result = await benchSize(size);
    rows.push(...result.rows);
    extra[sizeLabel(size)] = result.extra;
  }
  if (maxSize < 1_000_000 && !opts.quick) notes.push(`sizes above ${maxSize} skipped (--max-size)`);
  return { name: opts.quick ? 'retrieve-quick' : 'retrieve', rows, notes, extra };
}

async function benchSize(size: number): Promise<{ rows: BenchRow[]; extra: Record<string, unknown> }> {
  const dir = mkdtempSync(join(tmpdir(), 'teamkb-bench-retrieve-'));
  const corpus = syntheticCorpus({ size, dim: DIM });
  const store = await createEmbeddedStore({ dir, maintenanceDelayMs: 3_600_000, maintenanceEveryRows: Number.POSITIVE_INFINITY });
  try {
    await store.ensure('bench', DIM);
    const insertMs = await fill(store, 'bench', corpus, size);
    const indexStarted = performance.now();
    await store.optimize('bench');
    const indexMs = performance.now() - indexStarted;
    const disk = dirSize(dir);
    const queries = size >= 1_000_000 ? 100 : 200;
    const label = sizeLabel(size);
    const baseline = await bruteForce(corpus, size, Math.min(queries, size >= 1_000_000 ? 10 : 40));
    const rows: BenchRow[] = [
      { name: `${label} build (insert + index)`, value: (insertMs + indexMs) / 1000, unit: 's' },
      { name: `${label} disk`, value: disk / 2 ** 20, unit: 'MiB' },
    ];
    const latencies: Record<string, Latency> = {};
    // The pool's cost: the same hybrid search over the next smaller pool as its baseline (complete
    // lists against the top 200; the top 200 against the old topK·4).
    const basePool = size < COMPLETE_LISTS_BELOW_CHUNKS ? HYBRID_POOL : TOP_K * 4;
    const oldPool = await measure(queries, async (i) => {
      const q = corpus.query(i);
      const fusion = { method: 'weighted' as const, pool: basePool };
      const hits = await store.search('bench', { mode: 'hybrid', text: q.text, vector: q.vector, topK: TOP_K, fusion });
      return hits.some((h) => h.chunk.id === `c${q.sourceIndex}`);
    });
    for (const mode of ['dense', 'bm25', 'hybrid'] as SearchMode[]) {
      const latency = await measure(queries, async (i) => {
        const q = corpus.query(i);
        const hits = await store.search('bench', { mode, text: q.text, vector: q.vector, topK: TOP_K });
        return hits.some((h) => h.chunk.id === `c${q.sourceIndex}`);
      });
      latencies[mode] = latency;
      for (const p of ['p50', 'p95', 'p99'] as const) {
        const row: BenchRow = { name: `${label} ${mode} ${p}`, value: latency[p], unit: 'ms' };
        if (mode === 'dense') Object.assign(row, { baseline: baseline[p], baselineName: 'brute force' });
        if (mode === 'hybrid') Object.assign(row, { baseline: oldPool[p], baselineName: `pool ${basePool}` });
        const target = TARGET_P95_MS[size];
        if (mode === 'hybrid' && p === 'p95' && target !== undefined)
          Object.assign(row, { target: `<= ${target} ms`, met: latency.p95 <= target });
        rows.push(row);
      }
    }
    return { rows, extra: { insertMs, indexMs, diskBytes: disk, queries, latencies, baseline, oldPool } };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Exact top-k by cosine over all vectors held in one Float32Array. */
async function bruteForce(corpus: SyntheticCorpus, size: number, queries: number): Promise<Latency> {
  const matrix = new Float32Array(size * DIM);
  for (let i = 0; i < size; i++) matrix.set(corpus.chunk(i).vector, i * DIM);
  return measure(queries, async (qi) => {
    const q = corpus.query(qi);
    const best: { index: number; score: number }[] = [];
    for (let row = 0; row < size; row++) {
      let dot = 0;
      const offset = row * DIM;
      for (let d = 0; d < DIM; d++) dot += (matrix[offset + d] as number) * (q.vector[d] as number);
      if (best.length < TOP_K || dot > (best[best.length - 1] as { score: number }).score) {
        best.push({ index: row, score: dot });
        best.sort((a, b) => b.score - a.score);
        if (best.length > TOP_K) best.pop();
      }
    }
    return best.some((b) => b.index === q.sourceIndex);
  });
}
