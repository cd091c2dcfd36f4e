import type { Hit } from '../vector-store.js';
import { bm25RawFromScore, clampScore } from './scores.js';

export type FusionMethod = 'rrf' | 'weighted';

/**
 * Dense share in weighted fusion when none is configured, chosen by `npm run eval`'s leave-one-set-out
 * cross-validation over six sets (the two fixture QA sets, near-duplicate versions of both, English
 * documents, a mixed Chinese/English KB), chunked and whole, each held-out set scored with the
 * weight that loses least on the others: 0.5 on five folds, 0.6 on one, never RRF. With complete
 * lists (KBs below COMPLETE_LISTS_BELOW_CHUNKS, see pool.ts) 0.5 is the reference fusion of
 * RETRIEVAL.md, so it matches it on every set. Over a 200-deep pool (larger KBs), replayed on the
 * same sets, 0.4 was ahead of 0.5 by up to .003 MRR@10 where the pool cuts the list; one weight
 * for both is kept (see the README's eval section).
 */
export const DEFAULT_DENSE_WEIGHT = 0.5;

export interface FusionOptions {
  method: FusionMethod;
  /** RRF constant; 60 unless given. */
  k?: number;
  /** Share of the dense retriever in weighted fusion (BM25 gets the rest); DEFAULT_DENSE_WEIGHT unless given. */
  denseWeight?: number;
  /**
   * Weighted fusion: the low end of the BM25 range. 'list' (default): the list's lowest raw score,
   * as the reference does over a complete list. 'zero': raw 0, what a chunk matching no query word
   * scores, meant for lists cut off at a pool (see pool.ts); `npm run eval` replays it over the
   * 200-deep pool and it measured no better there (down to -.008 MRR@10 on English), so no store uses it.
   */
  bm25Floor?: 'list' | 'zero';
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
 *   and combined as w·dense + (1-w)·bm25. BM25 is normalised on its raw Okapi value, not on the
 *   saturated 0..1 score (see bm25RawFromScore). Measured to beat RRF on every eval set, news-like
 *   near-duplicates included, once the lists are complete or deep (see pool.ts).
 * - rrf: Σ 1/(k + rank) over the lists a chunk appears in (rank from 1). Reported better on some
 *   news-like text with near-duplicates; measured below weighted on every eval set here.
 *
 * Ranking and display are separate: the fused value only orders the candidates. The score handed
 * out is the hit's own evidence on the common 0..1 scale (see scores.ts), w·dense + (1-w)·bm25,
 * capped by the score of the hit above it so the list descends (callers merge KBs by score). A
 * one-list search therefore shows that list's scores unchanged, and `scoreThreshold` keeps its
 * meaning in every mode.
 */
export function fuse(dense: Hit[], bm25: Hit[], opts: FusionOptions): Hit[] {
  if (opts.topK <= 0) return [];
  const weight = dense.length === 0 ? 0 : bm25.length === 0 ? 1 : clampScore(opts.denseWeight ?? DEFAULT_DENSE_WEIGHT);
  const candidates = collect(dense, bm25);
  if (opts.method === 'rrf') scoreRrf(candidates, opts.k ?? 60);
  else scoreWeighted(candidates, dense, bm25, weight, opts.bm25Floor === 'zero');

  const absolute = (c: Candidate) => weight * (c.dense?.score ?? 0) + (1 - weight) * (c.bm25?.score ?? 0);
  let ceiling = 1;
  return candidates
    .sort((a, b) => b.fused - a.fused || bestRank(a) - bestRank(b) || compareIds(a, b))
    .slice(0, opts.topK)
    .map((c) => {
      ceiling = Math.min(ceiling, clampScore(absolute(c)));
      return { chunk: c.hit.chunk, score: ceiling };
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

function scoreWeighted(candidates: Candidate[], dense: Hit[], bm25: Hit[], weight: number, floorZero: boolean): void {
  const normaliseDense = minMax(dense.map((h) => h.score));
  const rawBm25 = bm25.map((h) => bm25RawFromScore(h.score));
  const normaliseBm25 = minMax(floorZero ? [0, ...rawBm25] : rawBm25);
  for (const c of candidates) {
    const d = c.dense ? normaliseDense(c.dense.score) : 0;
    const b = c.bm25 ? normaliseBm25(bm25RawFromScore(c.bm25.score)) : 0;
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
