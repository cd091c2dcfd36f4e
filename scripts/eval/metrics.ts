/** A retrieved chunk reduced to what scoring needs. */
export interface RankedChunk {
  passageId: string;
  text: string;
}

/** Cut-offs reported for every mode. */
export const HIT_CUTOFFS = [1, 3, 5, 10] as const;
export const MRR_CUTOFF = 10;

/**
 * 1-based rank of the first positive passage, counting each passage once at its first chunk
 * (several chunks of one passage count as one result). Undefined when no positive is retrieved.
 */
export function passageRank(hits: RankedChunk[], positives: ReadonlySet<string>): number | undefined {
  const seen = new Set<string>();
  for (const hit of hits) {
    if (seen.has(hit.passageId)) continue;
    seen.add(hit.passageId);
    if (positives.has(hit.passageId)) return seen.size;
  }
  return undefined;
}

/**
 * 1-based rank of the first chunk that comes from a positive passage and holds an answer string:
 * the stricter "the chunk the LLM reads contains the answer" measure.
 */
export function answerChunkRank(hits: RankedChunk[], positives: ReadonlySet<string>, answers: string[]): number | undefined {
  if (answers.length === 0) return undefined;
  const index = hits.findIndex((h) => positives.has(h.passageId) && answers.some((a) => h.text.includes(a)));
  return index >= 0 ? index + 1 : undefined;
}

export interface RankMetrics {
  queries: number;
  hit1: number;
  hit3: number;
  hit5: number;
  hit10: number;
  mrr10: number;
}

/** Collects per-query ranks and turns them into hit@k and MRR@10. */
export class RankAccumulator {
  private readonly ranks: Array<number | undefined> = [];

  add(rank: number | undefined): void {
    this.ranks.push(rank);
  }

  get size(): number {
    return this.ranks.length;
  }

  result(): RankMetrics {
    const n = this.ranks.length;
    const hitAt = (k: number) => (n === 0 ? 0 : this.ranks.filter((r) => r !== undefined && r <= k).length / n);
    const mrr =
      n === 0 ? 0 : this.ranks.reduce<number>((sum, r) => sum + (r !== undefined && r <= MRR_CUTOFF ? 1 / r : 0), 0) / n;
    return { queries: n, hit1: hitAt(1), hit3: hitAt(3), hit5: hitAt(5), hit10: hitAt(10), mrr10: mrr };
  }
}
