import type { Connection, Table } from '@lancedb/lancedb';
import type { Logger } from 'pino';
import type { Chunk, StoredChunk } from '../../../core/chunk.js';
import { TeamKbError } from '../../../core/errors.js';
import { fuse } from '../../../core/retrieval/fusion.js';
import { hybridPool } from '../../../core/retrieval/pool.js';
import type { Hit, StoreQuery, VectorStore } from '../../../core/vector-store.js';
import { KeyedLock } from '../keyed-lock.js';
import { ROW_COUNT_TTL_MS, RowCounts } from '../row-counts.js';
import { storageName } from '../store-names.js';
import { checkDimension, keywordOnlyDenseError } from '../vectors.js';
import { COLUMNS, chunksToArrow, rowToChunk, rowToStoredChunk, schemaDimension, tableSchema } from './arrow-rows.js';
import { ensureFtsIndex, maintainTable } from './maintenance.js';
import { bm25Hits, denseHits, withChunks } from './ranked-lists.js';
import { filterSql, sqlString } from './sql-filter.js';

interface OpenTable {
  table: Table;
  dim: number | null;
}

export interface EmbeddedStoreOptions {
  /** Milliseconds of write silence before indexes are brought up to date (default 1000). */
  maintenanceDelayMs?: number;
  /** Rows written since the last upkeep that trigger it without waiting for silence (default 20000). */
  maintenanceEveryRows?: number;
}

/** LanceDB tables under one directory: one table per KB, vectors and a jieba-token BM25 index. */
export class EmbeddedStore implements VectorStore {
  readonly id = 'embedded';
  private readonly tables = new Map<string, Promise<OpenTable | undefined>>();
  private readonly writes = new KeyedLock();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly pendingRows = new Map<string, number>();
  private readonly trainedRows = new Map<string, number>();
  private readonly rowCounts = new RowCounts(ROW_COUNT_TTL_MS);
  private closed = false;

  constructor(
    private readonly db: Connection,
    private readonly logger: Logger | undefined,
    private readonly options: EmbeddedStoreOptions = {},
  ) {}

  async ensure(kb: string, dim: number | null): Promise<void> {
    await this.writes.run(kb, async () => {
      const existing = await this.open(kb);
      if (existing !== undefined) {
        if (existing.dim !== dim) {
          throw new TeamKbError(
            'DIMENSION_MISMATCH',
            `Knowledge base "${kb}" was created with ${describeDim(existing.dim)}, not ${describeDim(dim)}.`,
            { details: { kb, expected: existing.dim, got: dim } },
          );
        }
        return;
      }
      const table = await this.db.createEmptyTable(tableName(kb), tableSchema(kb, dim), { mode: 'create' });
      await ensureFtsIndex(table);
      this.tables.set(kb, Promise.resolve({ table, dim }));
    });
  }

  async drop(kb: string): Promise<void> {
    await this.writes.run(kb, async () => {
      this.cancelMaintenance(kb);
      const open = await this.open(kb);
      this.tables.delete(kb);
      this.rowCounts.forget(kb);
      if (open === undefined) return;
      open.table.close();
      await this.db.dropTable(tableName(kb));
      this.trainedRows.delete(tableName(kb));
    });
  }

  async upsert(kb: string, chunks: StoredChunk[]): Promise<void> {
    if (chunks.length === 0) return;
    const unique = [...new Map(chunks.map((c) => [c.id, c])).values()];
    await this.writes.run(kb, async () => {
      const { table, dim } = await this.require(kb);
      for (const chunk of unique) checkDimension(kb, dim, chunk.vector, `chunk ${chunk.id}`);
      const data = chunksToArrow(await table.schema(), unique, dim);
      await table.mergeInsert('id').whenMatchedUpdateAll().whenNotMatchedInsertAll().execute(data);
    });
    this.afterWrite(kb, unique.length);
  }

  async deleteByFile(kb: string, fileId: string): Promise<number> {
    const removed = await this.writes.run(kb, async () => {
      const open = await this.open(kb);
      if (open === undefined) return 0;
      const where = filterSql({ fileIds: [fileId] }) as string;
      const count = await open.table.countRows(where);
      if (count > 0) await open.table.delete(where);
      return count;
    });
    if (removed > 0) this.afterWrite(kb, 0);
    return removed;
  }

  async search(kb: string, query: StoreQuery): Promise<Hit[]> {
    const topK = Math.max(0, Math.floor(query.topK));
    const open = await this.open(kb);
    const where = filterSql(query.filter);
    if (open === undefined || topK === 0 || where === null) {
      if (open && query.mode === 'dense' && open.dim === null) throw keywordOnlyDenseError(kb);
      return [];
    }
    const { table, dim } = open;
    const wantsDense = query.mode !== 'bm25' && query.vector !== undefined;
    if (query.mode === 'dense' && dim === null) throw keywordOnlyDenseError(kb);
    if (query.mode === 'dense' && query.vector === undefined) {
      throw new TeamKbError('INVALID_INPUT', `Dense search of "${kb}" needs a query vector.`, { details: { kb } });
    }
    if (wantsDense && dim !== null) checkDimension(kb, dim, query.vector, 'the query vector');
    const useDense = wantsDense && dim !== null;
    const useBm25 = query.mode !== 'dense' && (query.text ?? '').trim().length > 0;

    if (query.mode !== 'hybrid') {
      return useDense
        ? denseHits(table, query.vector as Float32Array, topK, where)
        : bm25Hits(table, query.text ?? '', topK, where);
    }
    const rows = await this.rowCounts.get(kb, () => table.countRows());
    const { depth, complete } = hybridPool(topK, rows, query.fusion?.pool);
    // Complete lists carry ids and scores only; the few fused hits are read afterwards.
    const [dense, bm25] = await Promise.all([
      useDense ? denseHits(table, query.vector as Float32Array, depth, where, complete) : [],
      useBm25 ? bm25Hits(table, query.text ?? '', depth, where, complete) : [],
    ]);
    const fused = fuse(dense, bm25, { method: query.fusion?.method ?? 'weighted', ...query.fusion, topK });
    return complete ? withChunks(table, fused) : fused;
  }

  async chunksAt(kb: string, fileId: string, ordinals: number[]): Promise<Chunk[]> {
    const wanted = ordinals.filter((o) => Number.isInteger(o) && o >= 0);
    const open = await this.open(kb);
    if (open === undefined || wanted.length === 0) return [];
    const rows = await open.table
      .query()
      .where(`file_id = ${sqlString(fileId)} AND ordinal IN (${wanted.join(', ')})`)
      .select([...COLUMNS])
      .toArray();
    return rows.map(rowToChunk);
  }

  async chunkById(kb: string, id: string): Promise<Chunk | undefined> {
    const open = await this.open(kb);
    if (open === undefined) return undefined;
    const rows = await open.table
      .query()
      .where(`id = ${sqlString(id)}`)
      .select([...COLUMNS])
      .limit(1)
      .toArray();
    return rows.length > 0 ? rowToChunk(rows[0]) : undefined;
  }

  async count(kb: string): Promise<number> {
    const open = await this.open(kb);
    return open === undefined ? 0 : open.table.countRows();
  }

  async *scan(kb: string, batchSize = 1000): AsyncIterable<StoredChunk[]> {
    const open = await this.open(kb);
    if (open === undefined) return;
    const columns = open.dim === null ? [...COLUMNS] : [...COLUMNS, 'vector'];
    let pending: StoredChunk[] = [];
    for await (const batch of open.table.query().select(columns)) {
      for (const row of batch.toArray()) {
        pending.push(rowToStoredChunk(row));
        if (pending.length >= batchSize) {
          yield pending;
          pending = [];
        }
      }
    }
    if (pending.length > 0) yield pending;
  }

  /** Brings one KB's indexes up to date now (benchmarks, CLI "optimize"); normally this runs by itself. */
  async optimize(kb: string): Promise<void> {
    this.cancelMaintenance(kb);
    await this.writes.run(kb, () => this.maintain(kb));
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const kb of [...this.timers.keys()]) this.cancelMaintenance(kb);
    await this.writes.idle();
    for (const pending of this.tables.values()) (await pending.catch(() => undefined))?.table.close();
    this.tables.clear();
    this.db.close();
  }

  private open(kb: string): Promise<OpenTable | undefined> {
    let pending = this.tables.get(kb);
    if (pending === undefined) {
      pending = this.openFromDisk(kb);
      this.tables.set(kb, pending);
      pending.then(
        (open) => open === undefined && this.tables.get(kb) === pending && this.tables.delete(kb),
        () => this.tables.delete(kb),
      );
    }
    return pending;
  }

  private async openFromDisk(kb: string): Promise<OpenTable | undefined> {
    const name = tableName(kb);
    if (!(await this.db.tableNames()).includes(name)) return undefined;
    const table = await this.db.openTable(name);
    return { table, dim: schemaDimension(await table.schema()) };
  }

  private async require(kb: string): Promise<OpenTable> {
    const open = await this.open(kb);
    if (open === undefined) {
      throw new TeamKbError('KB_NOT_FOUND', `Knowledge base "${kb}" has no table in the embedded store yet (create it first).`, {
        details: { kb },
      });
    }
    return open;
  }

  private afterWrite(kb: string, rows: number): void {
    this.rowCounts.forget(kb);
    if (this.closed) return;
    const pending = (this.pendingRows.get(kb) ?? 0) + rows;
    this.pendingRows.set(kb, pending);
    const existing = this.timers.get(kb);
    if (existing) clearTimeout(existing);
    const soon = pending >= (this.options.maintenanceEveryRows ?? 20_000);
    const timer = setTimeout(
      () => {
        this.timers.delete(kb);
        void this.writes.run(kb, () => this.maintain(kb));
      },
      soon ? 0 : (this.options.maintenanceDelayMs ?? 1000),
    );
    timer.unref();
    this.timers.set(kb, timer);
  }

  private cancelMaintenance(kb: string): void {
    const timer = this.timers.get(kb);
    if (timer) clearTimeout(timer);
    this.timers.delete(kb);
  }

  private async maintain(kb: string): Promise<void> {
    this.pendingRows.delete(kb);
    try {
      const open = await this.open(kb);
      if (open === undefined) return;
      const started = performance.now();
      const result = await maintainTable(open.table, open.dim !== null, this.trainedRows);
      if (result.actions.length > 0) {
        this.logger?.debug({ kb, ...result, ms: Math.round(performance.now() - started) }, 'embedded store indexes updated');
      }
    } catch (err) {
      this.logger?.warn({ kb, err }, 'embedded store index upkeep failed; searches stay correct but may be slower');
    }
  }
}

export function tableName(kb: string): string {
  return storageName('kb', kb);
}

function describeDim(dim: number | null): string {
  return dim === null ? 'no vectors (keyword-only)' : `${dim}-dim vectors`;
}
