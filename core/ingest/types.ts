import type { LoadedDoc, SourceFile } from '../documents.js';
import type { Embedder } from '../embedder.js';
import type { Registry } from '../registry.js';
import type { SplitOptions, TextChunk } from '../text/splitter.js';
import type { VectorStore } from '../vector-store.js';

/** What the pipeline needs from the loaders. */
export interface DocumentLoader {
  readonly supportedExtensions: readonly string[];
  load(file: SourceFile, signal?: AbortSignal): Promise<LoadedDoc>;
  /**
   * Loads and splits in one step where the loader can do both away from the caller's thread (the
   * worker pool): splitting a large text takes long enough to stall a server.
   */
  loadChunks?(file: SourceFile, split: SplitOptions, signal?: AbortSignal): Promise<TextChunk[]>;
}

export interface IngestSettings {
  chunkSize: number;
  chunkOverlap: number;
  maxFileBytes: number;
  embedBatchSize: number;
  /** Files parsed at the same time. */
  parseConcurrency?: number;
}

export interface IngestDeps {
  registry: Registry;
  store: VectorStore;
  embedder: Embedder | null;
  loader: DocumentLoader;
  settings: IngestSettings;
}

/** A file to ingest: its name inside the KB and where its bytes are. */
export interface IngestInput {
  name: string;
  path: string;
  size: number;
  /**
   * Uploaded bytes waiting under a unique temporary name; moved to `path` only when this file's
   * turn comes, so concurrent uploads of one name each ingest their own bytes and the last one wins.
   */
  stagedPath?: string;
}

/** Seconds spent in each stage, summed over files (stages overlap in wall time). */
export interface StageTimes {
  parse: number;
  split: number;
  embed: number;
  store: number;
}
