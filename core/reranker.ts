/** Second retrieval stage: a cross-encoder that reads the query and each candidate passage together. */
export interface Reranker {
  /** Stable identity, e.g. "transformers:bge-reranker-base". */
  readonly id: string;
  /** Relevance of each passage to the query on 0..1 (higher is better), in passage order. */
  rerank(query: string, passages: string[], signal?: AbortSignal): Promise<number[]>;
  close?(): Promise<void>;
}
