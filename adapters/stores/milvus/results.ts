import type { Chunk, ChunkMeta, StoredChunk } from '../../../core/chunk.js';
import { bm25ScoreFromRaw, denseScoreFromCosine } from '../../../core/retrieval/scores.js';
import type { Hit } from '../../../core/vector-store.js';

function parseMeta(raw: unknown): ChunkMeta {
  if (typeof raw === 'string') {
    try {
      return JSON.parse(raw) as ChunkMeta;
    } catch {
      return { source: '' };
    }
  }
  return (raw ?? { source: '' }) as ChunkMeta;
}

export function rowToChunk(row: Record<string, unknown>): Chunk {
  return {
    id: String(row.id),
    fileId: String(row.file_id),
    ordinal: Number(row.ordinal),
    text: String(row.text),
    meta: parseMeta(row.meta),
  };
}

export function rowToStoredChunk(row: Record<string, unknown>): StoredChunk {
  const chunk: StoredChunk = rowToChunk(row);
  if (Array.isArray(row.vector)) chunk.vector = Float32Array.from(row.vector as number[]);
  return chunk;
}

/** COSINE search scores are cosine similarities; BM25 search scores are raw BM25. */
export function toHits(rows: Record<string, unknown>[], kind: 'dense' | 'bm25'): Hit[] {
  const score = kind === 'dense' ? denseScoreFromCosine : bm25ScoreFromRaw;
  return rows
    .map((row) => ({ chunk: rowToChunk(row), score: score(Number(row.score)) }))
    .sort((a, b) => b.score - a.score || (a.chunk.id < b.chunk.id ? -1 : 1));
}

export function chunkToRow(chunk: StoredChunk, vector: Float32Array | undefined): Record<string, unknown> {
  return {
    id: chunk.id,
    file_id: chunk.fileId,
    ordinal: chunk.ordinal,
    text: chunk.text,
    meta: chunk.meta,
    ...(vector ? { vector: Array.from(vector) } : {}),
  };
}
