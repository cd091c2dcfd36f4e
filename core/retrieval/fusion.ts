import type { Hit } from '../vector-store.js';
import { clampScore } from './scores.js';

export type FusionMethod = 'rrf' | 'weighted';

export interface FusionOptions {
  method: FusionMethod;
  /** RRF constant; 60 unless given. */
  k?: number;
  /** Share of the dense retriever in weighted fusion (BM25 gets the rest); 0.5 unless given. */
  denseWeight?: number;
  topK: number;
}

interface Candidate {
  hit: Hit;
  dense?: { score: number; rank: number };
  bm25?: { score: number; rank: number };
  fused: number;
}

/**
 * Merges a dense and a BM25 result list (each already on the 0..1 scale) into one list.
 *
 * - weighted: each list's scores are min-max normalised within the list (a missing entry counts 0)
 *   and combined as w·dense + (1-w)·bm25. Measured to beat RRF on question sets that reuse the
 *   documents' wording.
 * - rrf: Σ 1/(k + rank) over the lists a chunk appears in (rank from 1). Better on news-like text
 *   with near-duplicates.
 *
 * The fused value only orders the candidates. The score handed out is that order mapped onto the
 * range [lowest, highest] of the candidates' absolute evidence w·dense + (1-w)·bm25, so it stays
 * on the common 0..1 scale (see scores.ts) and descends with the order.
 */
export function fuse(dense: Hit[], bm25: Hit[], opts: FusionOptions): Hit[] {
  if (opts.topK <= 0) return [];
  const weight = dense.length === 0 ? 0 : bm25.length === 0 ? 1 : clampScore(opts.denseWeight ?? 0.5);
  const candidates = collect(dense, bm25);
  if (opts.method === 'rrf') scoreRrf(candidates, opts.k ?? 60);
  else scoreWeighted(candidates, dense, bm25, weight);

  const absolute = (c: Candidate) => weight * (c.dense?.score ?? 0) + (1 - weight) * (c.bm25?.score ?? 0);
  const fusedValues = candidates.map((c) => c.fused);
  const absValues = candidates.map(absolute);
  const fusedMin = Math.min(...fusedValues);
  const fusedSpan = Math.max(...fusedValues) - fusedMin;
  const absMin = Math.min(...absValues);
  const absSpan = Math.max(...absValues) - absMin;

  return candidates
    .sort((a, b) => b.fused - a.fused || bestRank(a) - bestRank(b) || compareIds(a, b))
    .slice(0, opts.topK)
    .map((c) => {
      const position = fusedSpan > 0 ? (c.fused - fusedMin) / fusedSpan : 1;
      return { chunk: c.hit.chunk, score: clampScore(absMin + position * absSpan) };
    });
}

function collect(dense: Hit[], bm25: Hit[]): Candidate[] {
  const byId = new Map<string, Candidate>();
  dense.forEach((hit, index) => {
    const existing = byId.get(hit.chunk.id);
    if (existing?.dense) return;
    byId.set(hit.chunk.id, { hit, dense: { score: hit.score, rank: index + 1 }, fused: 0 });
  });
  bm25.forEach((hit, index) => {
    const existing = byId.get(hit.chunk.id);
    if (existing === undefined) byId.set(hit.chunk.id, { hit, bm25: { score: hit.score, rank: index + 1 }, fused: 0 });
    else if (existing.bm25 === undefined) existing.bm25 = { score: hit.score, rank: index + 1 };
  });
  return [...byId.values()];
}

function scoreRrf(candidates: Candidate[], k: number): void {
  for (const c of candidates) {
    c.fused = (c.dense ? 1 / (k + c.dense.rank) : 0) + (c.bm25 ? 1 / (k + c.bm25.rank) : 0);
  }
}

function scoreWeighted(candidates: Candidate[], dense: Hit[], bm25: Hit[], weight: number): void {
  const normaliseDense = minMax(dense.map((h) => h.score));
  const normaliseBm25 = minMax(bm25.map((h) => h.score));
  for (const c of candidates) {
    const d = c.dense ? normaliseDense(c.dense.score) : 0;
    const b = c.bm25 ? normaliseBm25(c.bm25.score) : 0;
    c.fused = weight * d + (1 - weight) * b;
  }
}

/** Maps the list's scores onto 0..1; a list whose scores are all equal maps to 1. */
function minMax(scores: number[]): (score: number) => number {
  if (scores.length === 0) return () => 0;
  const min = Math.min(...scores);
  const span = Math.max(...scores) - min;
  return (score) => (span > 0 ? (score - min) / span : 1);
}

function bestRank(c: Candidate): number {
  return Math.min(c.dense?.rank ?? Number.POSITIVE_INFINITY, c.bm25?.rank ?? Number.POSITIVE_INFINITY);
}

function compareIds(a: Candidate, b: Candidate): number {
  return a.hit.chunk.id < b.hit.chunk.id ? -1 : a.hit.chunk.id > b.hit.chunk.id ? 1 : 0;
}
