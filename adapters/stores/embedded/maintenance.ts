import type { Table } from '@lancedb/lancedb';
import { Index } from '@lancedb/lancedb';
import { COMPLETE_LISTS_BELOW_CHUNKS } from '../../../core/retrieval/pool.js';
import { MAX_TOKEN_LENGTH } from '../../../core/text/tokenize.js';

/**
 * Index upkeep for one table. Searches are always correct without it (LanceDB searches rows not
 * yet indexed by brute force); this keeps them fast:
 * - the full-text index on `tokens` exists from the first write (BM25 over unindexed rows alone
 *   would use other statistics), and new rows are folded in by `optimize`;
 * - a vector index (IVF_FLAT, exact distances inside the probed partitions) from
 *   VECTOR_INDEX_MIN_ROWS rows on, rebuilt when the table has grown 4x since it was trained;
 * - `optimize` also compacts the small fragments each write leaves and prunes old versions.
 */
/** Hybrid search fuses complete lists below this size (core/retrieval/pool.ts), exact without the index. */
export const VECTOR_INDEX_MIN_ROWS = COMPLETE_LISTS_BELOW_CHUNKS;
export const NPROBES = 20;
const REBUILD_GROWTH = 4;
const KEEP_VERSIONS_MS = 10 * 60_000;

export const ftsIndex = () =>
  Index.fts({
    baseTokenizer: 'whitespace',
    lowercase: false,
    stem: false,
    removeStopWords: false,
    asciiFolding: false,
    withPosition: false,
    maxTokenLength: MAX_TOKEN_LENGTH,
  });

export interface MaintenanceResult {
  rows: number;
  actions: string[];
}

export async function ensureFtsIndex(table: Table): Promise<boolean> {
  const indices = await table.listIndices();
  if (indices.some((i) => i.columns.includes('tokens'))) return false;
  await table.createIndex('tokens', { config: ftsIndex(), replace: true });
  return true;
}

/** Brings indexes up to date; `trainedRows` remembers the size each vector index was trained at. */
export async function maintainTable(
  table: Table,
  hasVectors: boolean,
  trainedRows: Map<string, number>,
): Promise<MaintenanceResult> {
  const actions: string[] = [];
  const rows = await table.countRows();
  if (rows === 0) return { rows, actions };
  if (await ensureFtsIndex(table)) actions.push('fts-index');

  const indices = await table.listIndices();
  const vectorIndex = indices.find((i) => i.columns.includes('vector'));
  const key = table.name;
  if (hasVectors && rows >= VECTOR_INDEX_MIN_ROWS) {
    const trainedAt = trainedRows.get(key) ?? (vectorIndex ? rows : 0);
    if (vectorIndex === undefined || rows >= trainedAt * REBUILD_GROWTH) {
      await table.createIndex('vector', {
        config: Index.ivfFlat({
          distanceType: 'l2',
          numPartitions: Math.max(1, Math.round(Math.sqrt(rows))),
          sampleRate: 64,
        }),
        replace: true,
      });
      trainedRows.set(key, rows);
      actions.push('vector-index');
    } else {
      trainedRows.set(key, trainedAt);
    }
  }

  const stale = (await table.listIndices()).some((i) => {
    const unindexed = (i as { numUnindexedRows?: number }).numUnindexedRows;
    return unindexed === undefined || unindexed > 0;
  });
  const fragments = (await table.stats()).fragmentStats.numSmallFragments;
  if (stale || fragments > 1) {
    await table.optimize({ cleanupOlderThan: new Date(Date.now() - KEEP_VERSIONS_MS) });
    actions.push('optimize');
  }
  return { rows, actions };
}
