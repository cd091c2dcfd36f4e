import { describeError } from '../errors.js';
import type { SearchHit } from '../kb-service.js';
import type { Reranker } from '../reranker.js';
import { clampScore } from './scores.js';

/** Fewest first-stage candidates a reranker sees, so a small topK still gets something to reorder. */
export const RERANK_MIN_CANDIDATES = 20;

/** How many first-stage hits to hand the reranker for a search that wants topK. */
export function rerankCandidates(topK: number): number {
  return Math.max(topK * 4, RERANK_MIN_CANDIDATES);
}

export interface RerankSettings {
  topK: number;
  /** Applied to the reranker's scores (or, when it fails, to the first-stage scores). */
  threshold: number;
  warn?: (msg: string) => void;
}

/**
 * Second stage: the reranker's 0..1 relevance replaces each candidate's retrieval score, hits are
 * reordered by it, then filtered and cut to topK. A failing reranker never fails the search: the
 * candidates keep their retrieval order and scores, with a warning.
 */
export async function rerankHits(
  reranker: Reranker,
  query: string,
  candidates: SearchHit[],
  settings: RerankSettings,
): Promise<SearchHit[]> {
  const keep = (hits: SearchHit[]) => hits.filter((h) => h.score >= settings.threshold).slice(0, settings.topK);
  if (candidates.length === 0) return [];
  let scores: number[];
  try {
    scores = await reranker.rerank(
      query,
      candidates.map((h) => h.chunk.text),
    );
    if (scores.length !== candidates.length) {
      throw new Error(`returned ${scores.length} scores for ${candidates.length} passages`);
    }
  } catch (err) {
    settings.warn?.(`Reranker ${reranker.id} failed (${describeError(err)}); showing results in retrieval order.`);
    return keep(candidates);
  }
  const reranked = candidates.map((hit, i) => ({ ...hit, score: clampScore(scores[i] as number) }));
  return keep(reranked.sort((a, b) => b.score - a.score));
}
