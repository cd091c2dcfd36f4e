import type { Table } from '@lancedb/lancedb';
import { MatchQuery } from '@lancedb/lancedb';
import type { Chunk } from '../../../core/chunk.js';
import { bm25ScoreFromRaw, denseScoreFromSquaredL2 } from '../../../core/retrieval/scores.js';
import { tokenize } from '../../../core/text/tokenize.js';
import type { Hit } from '../../../core/vector-store.js';
import { unitVector } from '../vectors.js';
import { COLUMNS, rowToChunk } from './arrow-rows.js';
import { NPROBES } from './maintenance.js';
import { sqlString } from './sql-filter.js';

/**
 * The dense and BM25 lists of one table, on the common 0..1 scale. `idsOnly` reads ids and scores
 * alone, for lists as long as the table (hybrid search over complete lists): handing thousands of
 * rows' text to JavaScript costs several times the search; withChunks then reads the few fused hits.
 */
export async function denseHits(
  table: Table,
  vector: Float32Array,
  limit: number,
  where: string | undefined,
  idsOnly = false,
): Promise<Hit[]> {
  let q = table
    .query()
    .nearestTo(unitVector(vector))
    .distanceType('l2')
    .nprobes(NPROBES)
    .select([...(idsOnly ? ['id'] : COLUMNS), '_distance'])
    .limit(limit);
  if (where !== undefined) q = q.where(where);
  const rows = await q.toArray();
  const score = (row: Record<string, unknown>) => denseScoreFromSquaredL2(row._distance as number);
  return rows.map((row) => ({ chunk: idsOnly ? idOnly(row.id) : rowToChunk(row), score: score(row) }));
}

export async function bm25Hits(
  table: Table,
  text: string,
  limit: number,
  where: string | undefined,
  idsOnly = false,
): Promise<Hit[]> {
  const tokens = tokenize(text);
  if (tokens.length === 0) return [];
  let q = table
    .query()
    .fullTextSearch(new MatchQuery(tokens.join(' '), 'tokens'))
    .select([...(idsOnly ? ['id'] : COLUMNS), '_score'])
    .limit(limit);
  if (where !== undefined) q = q.where(where);
  const rows = await q.toArray();
  return rows
    .map((row) => ({ chunk: idsOnly ? idOnly(row.id) : rowToChunk(row), score: bm25ScoreFromRaw(row._score as number) }))
    .sort((a, b) => b.score - a.score || (a.chunk.id < b.chunk.id ? -1 : 1));
}

/** Hits ranked on ids alone, with their chunks read in one query (a chunk deleted meanwhile drops out). */
export async function withChunks(table: Table, hits: Hit[]): Promise<Hit[]> {
  if (hits.length === 0) return [];
  const rows = await table
    .query()
    .where(`id IN (${hits.map((h) => sqlString(h.chunk.id)).join(', ')})`)
    .select([...COLUMNS])
    .toArray();
  const chunks = new Map(rows.map((row) => [row.id as string, rowToChunk(row)]));
  return hits.flatMap((h) => {
    const chunk = chunks.get(h.chunk.id);
    return chunk ? [{ chunk, score: h.score }] : [];
  });
}

/** A chunk known by its id alone, until withChunks reads it. */
function idOnly(id: unknown): Chunk {
  return { id: String(id), fileId: '', ordinal: 0, text: '', meta: { source: '' } };
}
