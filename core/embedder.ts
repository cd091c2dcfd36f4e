export type EmbedKind = 'query' | 'passage';

export interface Embedder {
  /** Stable identity recorded with each KB, e.g. "transformers:bge-small-zh-v1.5". */
  readonly id: string;
  readonly dim: number;
  /** Returns one L2-normalised vector per text, in order. */
  embed(texts: string[], kind: EmbedKind, signal?: AbortSignal): Promise<Float32Array[]>;
  close?(): Promise<void>;
}
