import type { Chunk, StoredChunk } from './chunk.js';

export type SearchMode = 'dense' | 'bm25' | 'hybrid';

export interface StoreFilter {
  /** Only chunks of these files. */
  fileIds?: string[];
  /** Never chunks of these files. */
  excludeFileIds?: string[];
}

/** How hybrid search merges its dense and BM25 lists (see core/retrieval/fusion.ts). */
export interface FusionSettings {
  method: 'rrf' | 'weighted';
  /** Weighted fusion: share of the dense list, 0..1 (DEFAULT_DENSE_WEIGHT, 0.5, unless given). */
  denseWeight?: number;
  /** RRF constant (60 unless given). */
  k?: number;
  /** Candidates taken from each retriever (measuring the cost; complete lists or HYBRID_POOL unless given, see retrieval/pool.ts). */
  pool?: number;
}

export interface StoreQuery {
  mode: SearchMode;
  topK: number;
  /** Needed for dense and hybrid. */
  vector?: Float32Array;
  /** Needed for bm25 and hybrid. */
  text?: string;
  filter?: StoreFilter;
  /** Hybrid mode only; weighted fusion with the default dense weight unless given. */
  fusion?: FusionSettings;
}

export interface Hit {
  chunk: Chunk;
  /**
   * Relevance on 0..1, higher is better, with the same meaning for every store
   * (see core/retrieval/scores.ts).
   */
  score: number;
}

/** One backend holding many knowledge bases (a table/collection each). */
export interface VectorStore {
  readonly id: string;
  /** Creates the KB's table if needed. `dim` null means keyword-only (no vectors). */
  ensure(kb: string, dim: number | null): Promise<void>;
  drop(kb: string): Promise<void>;
  /** Inserts or replaces chunks by id. Idempotent. */
  upsert(kb: string, chunks: StoredChunk[]): Promise<void>;
  deleteByFile(kb: string, fileId: string): Promise<number>;
  search(kb: string, query: StoreQuery): Promise<Hit[]>;
  count(kb: string): Promise<number>;
  /** Streams every stored chunk with its vector (migration between stores). */
  scan(kb: string, batchSize?: number): AsyncIterable<StoredChunk[]>;
  /**
   * Brings the KB's indexes up to date now, so ranking statistics cover every row (called when an
   * ingest job ends). Stores that index synchronously need not implement it.
   */
  optimize?(kb: string): Promise<void>;
  /**
   * The chunks of one file at these ordinals (those that exist), so search can show a hit with its
   * neighbouring chunks. Stores without it show hits on their own.
   */
  chunksAt?(kb: string, fileId: string, ordinals: number[]): Promise<Chunk[]>;
  /** One chunk by its id (a citation's passage page), or undefined. Stores without it show no passage pages. */
  chunkById?(kb: string, id: string): Promise<Chunk | undefined>;
  close(): Promise<void>;
}
