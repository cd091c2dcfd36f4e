/**
 * One relevance scale for every store and search mode: a number in 0..1, higher is better, so a
 * `scoreThreshold` means the same thing whether a KB is searched dense, bm25 or hybrid, embedded or
 * on Milvus.
 *
 * - dense:  score = clamp(cosine similarity, 0, 1). Vectors are unit length, so cosine is the dot
 *           product; opposite or unrelated directions (cosine ≤ 0) score 0.
 * - bm25:   score = raw / (raw + 10), where raw is Okapi BM25 (k1 1.2, b 0.75) over jieba tokens.
 *           Raw BM25 is unbounded and grows with the number of matched query words, each adding
 *           about idf ≈ 2..9. The saturating map keeps order, needs no corpus statistics at query
 *           time (so every store computes it the same way), and puts "two rare query words
 *           matched once each" near 0.5, one common word near 0.1, and a long question that
 *           matches its passage closely above 0.7, close to where a good embedding model puts
 *           the same cases on the cosine scale.
 * - hybrid: candidates are ranked by fusion (see fusion.ts); each then shows its own weighted
 *           dense/BM25 evidence on this scale, capped by the hit above it so scores descend: the
 *           first hit scores what its evidence is worth, not a constant 1, so thresholds keep meaning.
 */
export const BM25_HALF_SCORE_RAW = 10;

export function clampScore(score: number): number {
  if (!Number.isFinite(score) || score <= 0) return 0;
  return Math.min(score, 1);
}

export function denseScoreFromCosine(cosine: number): number {
  return clampScore(cosine);
}

/** For unit vectors, squared L2 distance d = 2 - 2·cosine. */
export function denseScoreFromSquaredL2(distance: number): number {
  return clampScore(1 - distance / 2);
}

export function bm25ScoreFromRaw(raw: number): number {
  if (!Number.isFinite(raw) || raw <= 0) return 0;
  return clampScore(raw / (raw + BM25_HALF_SCORE_RAW));
}

/**
 * The raw BM25 value a 0..1 bm25 score came from (inverse of bm25ScoreFromRaw). Fusion normalises
 * raw BM25, not the saturated score: the saturation squeezes the top of the list together, which
 * hands the dense list too much say (measured: −1 to −6 points MRR@10 against raw).
 */
export function bm25RawFromScore(score: number): number {
  if (!Number.isFinite(score) || score <= 0) return 0;
  if (score >= 1) return Number.MAX_VALUE;
  return (BM25_HALF_SCORE_RAW * score) / (1 - score);
}
