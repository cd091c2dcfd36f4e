/**
 * How many candidates hybrid search takes from each retriever before fusing.
 *
 * Min-max fusion reads each list's range, so where a list is cut off decides how much say its
 * head gets. The reference fusion (RETRIEVAL.md) normalises each COMPLETE list: every chunk's
 * cosine, every chunk BM25 matches. A KB below COMPLETE_LISTS_BELOW_CHUNKS chunks is fused that
 * way; a larger one over the top HYBRID_POOL of each list, where the cut-off range is the price of
 * not ranking every chunk per query.
 */

/**
 * Candidates per retriever for KBs of COMPLETE_LISTS_BELOW_CHUNKS chunks and more. At 20 weighted
 * fusion lost 1-6 points MRR@10 against 200 on the eval sets, and 100 still up to .004.
 */
export const HYBRID_POOL = 200;

/**
 * Below this many chunks, hybrid search fuses complete lists. The embedded store builds its vector
 * index from this size on (VECTOR_INDEX_MIN_ROWS); below it every query scans every vector anyway,
 * so the complete list costs only handing the rows over (measured with `npm run bench -- retrieve`).
 */
export const COMPLETE_LISTS_BELOW_CHUNKS = 5_000;

export interface HybridPool {
  /** Hits to ask each retriever for. */
  depth: number;
  /** The lists hold every candidate (every chunk's cosine, every BM25 match), not a top-N. */
  complete: boolean;
}

/**
 * The pool for a hybrid search that wants topK from a KB of `chunks` chunks (undefined: unknown,
 * treated as large). `pool` forces a depth (measuring its cost); a forced pool is never complete.
 */
export function hybridPool(topK: number, chunks: number | undefined, pool?: number): HybridPool {
  if (pool !== undefined && pool > 0) return { depth: Math.max(Math.floor(pool), topK), complete: false };
  const pooled = Math.max(HYBRID_POOL, topK * 4);
  if (chunks !== undefined && chunks < COMPLETE_LISTS_BELOW_CHUNKS) return { depth: Math.max(pooled, chunks), complete: true };
  return { depth: pooled, complete: false };
}
