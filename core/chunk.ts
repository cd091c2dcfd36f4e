/** Metadata kept with every chunk, used for citations and filters. */
export interface ChunkMeta {
  source: string;
  page?: number;
  heading?: string;
  sheet?: string;
  row?: number;
  rowEnd?: number;
  slide?: number;
  /** Character offsets of the chunk inside its block. */
  start?: number;
  end?: number;
}

export interface Chunk {
  /** Deterministic: hash(kb, file, ordinal, text hash). */
  id: string;
  fileId: string;
  ordinal: number;
  text: string;
  meta: ChunkMeta;
}

export interface StoredChunk extends Chunk {
  /** Absent for keyword-only knowledge bases. */
  vector?: Float32Array;
}
