import type { Reranker } from '../../core/reranker.js';
import { throwIfAborted } from './cancel.js';
import { fakeTokens } from './embedder-fake.js';

/** Share of the query's distinct tokens that occur in the passage: 0..1. */
export function termOverlap(query: string, passage: string): number {
  const wanted = new Set(fakeTokens(query));
  const present = new Set(fakeTokens(passage));
  let found = 0;
  for (const token of wanted) if (present.has(token)) found++;
  return found / wanted.size;
}

/** Plumbing-test reranker: no model, instant, deterministic (query term overlap). */
export function createFakeReranker(): Reranker {
  return {
    id: 'fake:term-overlap',
    async rerank(query: string, passages: string[], signal?: AbortSignal): Promise<number[]> {
      throwIfAborted(signal, 'Reranking');
      return passages.map((passage) => termOverlap(query, passage));
    },
  };
}
