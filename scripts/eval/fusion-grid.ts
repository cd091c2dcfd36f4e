import { DEFAULT_DENSE_WEIGHT, type FusionOptions, fuse } from '../../core/retrieval/fusion.js';
import { HYBRID_POOL, hybridPool } from '../../core/retrieval/pool.js';
import { bm25RawFromScore } from '../../core/retrieval/scores.js';
import type { FusionSettings, Hit } from '../../core/vector-store.js';

/**
 * Fusion settings compared offline on the same retrieved lists, for choosing the default by
 * cross-validation: every weighted dense share on a 0.1 grid, and RRF.
 */
export const FUSION_GRID: Array<{ name: string; fusion: FusionSettings }> = [
  ...[0.2, 0.3, 0.4, 0.5, 0.6, 0.7].map((w) => ({
    name: `weighted ${w.toFixed(1)}`,
    fusion: { method: 'weighted' as const, denseWeight: w },
  })),
  { name: 'rrf k60', fusion: { method: 'rrf', k: 60 } },
];

export const gridName = (fusion: FusionSettings): string =>
  fusion.method === 'rrf' ? `rrf k${fusion.k ?? 60}` : `weighted ${(fusion.denseWeight ?? DEFAULT_DENSE_WEIGHT).toFixed(1)}`;

/**
 * What the store's hybrid search does with these settings in a KB of `chunks` chunks, replayed on
 * complete lists fetched once (so on the eval sets, all below COMPLETE_LISTS_BELOW_CHUNKS: complete).
 */
export function replayHybrid(dense: Hit[], bm25: Hit[], fusion: FusionSettings, topK: number, chunks: number): Hit[] {
  const { depth } = hybridPool(topK, chunks, fusion.pool);
  return fuse(dense.slice(0, depth), bm25.slice(0, depth), { ...fusion, topK });
}

/**
 * What a KB of COMPLETE_LISTS_BELOW_CHUNKS chunks or more gets: lists cut at HYBRID_POOL. Replayed on the eval
 * sets' complete lists to see which weight and BM25 floor hold when the range is cut off.
 */
export const POOLED_GRID: Array<{ name: string; fusion: Omit<FusionOptions, 'topK'> }> = [0.4, 0.5].flatMap((w) =>
  (['list', 'zero'] as const).map((bm25Floor) => ({
    name: `pool ${HYBRID_POOL} ${w.toFixed(1)} floor ${bm25Floor === 'zero' ? '0' : 'min'}`,
    fusion: { method: 'weighted' as const, denseWeight: w, bm25Floor },
  })),
);

export function replayPooled(dense: Hit[], bm25: Hit[], fusion: Omit<FusionOptions, 'topK'>, topK: number): Hit[] {
  return fuse(dense.slice(0, HYBRID_POOL), bm25.slice(0, HYBRID_POOL), { ...fusion, topK });
}

/**
 * The reference fusion of RETRIEVAL.md, written out on its own: each complete list min-max
 * normalised per query (raw BM25), 0.5/0.5, no pool limit. Measured in the same run as ours.
 */
export function referenceFusion(dense: Hit[], bm25: Hit[], topK: number): Hit[] {
  const norm = (values: number[]) => {
    const min = Math.min(...values);
    const span = Math.max(...values) - min;
    return (v: number) => (span > 0 ? (v - min) / span : 1);
  };
  const d = norm(dense.map((h) => h.score));
  const rawBm25 = bm25.map((h) => bm25RawFromScore(h.score));
  const b = norm(rawBm25);
  const total = new Map<string, { hit: Hit; score: number }>();
  const add = (hit: Hit, value: number) => {
    const entry = total.get(hit.chunk.id) ?? { hit, score: 0 };
    entry.score += 0.5 * value;
    total.set(hit.chunk.id, entry);
  };
  for (const hit of dense) add(hit, d(hit.score));
  for (const [i, hit] of bm25.entries()) add(hit, b(rawBm25[i] as number));
  return [...total.values()]
    .sort((x, y) => y.score - x.score)
    .slice(0, topK)
    .map((e) => ({ chunk: e.hit.chunk, score: e.score }));
}

export interface CvRow {
  /** The held-out set. */
  set: string;
  /** Setting chosen on the other sets (smallest worst-case loss against each set's best setting). */
  chosen: string;
  heldOutMrr: number;
  /** The held-out set's own best setting and its MRR@10, for scale. */
  best: string;
  bestMrr: number;
}

/** Per set: grid setting name → MRR@10 (mean over the set's chunk variants). */
export type GridScores = Record<string, Record<string, number>>;

/** The setting whose largest loss (against each set's best setting) over `sets` is smallest. */
export function minimaxRegret(scores: GridScores, sets: string[]): string {
  const names = FUSION_GRID.map((g) => g.name);
  const regret = (name: string) =>
    Math.max(
      ...sets.map((set) => {
        const row = scores[set] as Record<string, number>;
        return Math.max(...names.map((n) => row[n] ?? 0)) - (row[name] ?? 0);
      }),
    );
  return names.reduce((best, name) => (regret(name) < regret(best) ? name : best));
}

/** Leave one set out: choose on the others, report on it. Needs at least two sets. */
export function crossValidate(scores: GridScores): CvRow[] {
  const sets = Object.keys(scores);
  if (sets.length < 2) return [];
  return sets.map((set) => {
    const chosen = minimaxRegret(
      scores,
      sets.filter((s) => s !== set),
    );
    const row = scores[set] as Record<string, number>;
    const best = Object.entries(row).reduce((a, b) => (b[1] > a[1] ? b : a));
    return { set, chosen, heldOutMrr: row[chosen] ?? 0, best: best[0], bestMrr: best[1] };
  });
}
