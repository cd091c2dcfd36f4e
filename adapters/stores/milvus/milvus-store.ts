import type { Logger } from 'pino';
import type { Chunk, StoredChunk } from '../../../core/chunk.js';
import { TeamKbError } from '../../../core/errors.js';
import { fuse } from '../../../core/retrieval/fusion.js';
import { hybridPool } from '../../../core/retrieval/pool.js';
import type { Hit, StoreQuery, VectorStore } from '../../../core/vector-store.js';
import { KeyedLock } from '../keyed-lock.js';
import { ROW_COUNT_TTL_MS, RowCounts } from '../row-counts.js';
import { storageName } from '../store-names.js';
import { checkDimension, keywordOnlyDenseError, unitVector } from '../vectors.js';
import { type MilvusCall, milvusCaller } from './calls.js';
import { CollectionCatalog } from './catalog.js';
import type { CollectionInfo } from './collections.js';
import type { MilvusConnection } from './connection.js';
import { filterExpr, idExpr, ordinalsExpr } from './filter-expr.js';
import { missingKb, sameDimension } from './kb-checks.js';
import { chunkToRow, rowToChunk, toHits } from './results.js';
import type { RetryPolicy } from './retry.js';
import { scanPages } from './scan.js';
import { createCollectionRequest, FULL_TEXT_MIN, formatVersion, OUTPUT_FIELDS } from './schema.js';
import { isNotFound } from './status.js';

export interface MilvusStoreContext {
  connection: MilvusConnection;
  address: string;
  logger?: Logger;
  retry?: RetryPolicy;
  collectionTtlMs?: number;
}

const UPSERT_BATCH = 500;
/** Milvus refuses a search or query limit above 16,384 (quotaAndLimits.limits.topK). */
export const MAX_TOPK = 16_384;

/** One collection per KB on a Milvus server; hybrid = dense + BM25 lists fused client-side. */
export class MilvusStore implements VectorStore {
  readonly id = 'milvus';
  private readonly locks = new KeyedLock();
  private readonly call: MilvusCall;
  private readonly catalog: CollectionCatalog;
  private readonly rowCounts = new RowCounts(ROW_COUNT_TTL_MS);

  constructor(private readonly ctx: MilvusStoreContext) {
    this.call = milvusCaller(ctx.connection, ctx.address, ctx.retry);
    this.catalog = new CollectionCatalog({
      call: this.call,
      connection: ctx.connection,
      address: ctx.address,
      nameOf: collectionName,
      ttlMs: ctx.collectionTtlMs ?? 30_000,
      logger: ctx.logger,
    });
  }

  /** Why the store cannot serve right now, in words (read by /healthz); undefined when fine. */
  get problem(): string | undefined {
    return this.ctx.connection.problem;
  }

  async ensure(kb: string, dim: number | null): Promise<void> {
    await this.locks.run(kb, async () => {
      this.catalog.forget(kb);
      const existing = await this.catalog.describe(kb);
      if (existing !== undefined) return sameDimension(kb, existing, dim);
      const server = await this.ctx.connection.get();
      if (dim === null && !server.fullText) {
        throw new TeamKbError(
          'STORE_UNAVAILABLE',
          `Milvus ${server.version} at ${this.ctx.address} cannot hold keyword-only knowledge base "${kb}": full-text search needs Milvus ${formatVersion(FULL_TEXT_MIN)} or later. Upgrade the server (docker-compose.yml pins a fitting release).`,
          { details: { kb, version: server.version } },
        );
      }
      const plan = { name: collectionName(kb), kb, dim, fullText: server.fullText, indexAlgo: server.indexAlgo };
      try {
        await this.call(
          `create the collection for "${kb}"`,
          (c) => c.createCollection(createCollectionRequest(plan)),
          (r) => r,
        );
      } catch (err) {
        // Another replica may have created it a moment ago: use theirs when it fits.
        const raced = await this.catalog.describe(kb).catch(() => undefined);
        if (raced === undefined) throw err;
        return sameDimension(kb, raced, dim);
      }
      // Indexes and load are the step that can fail half-way; `describe` repeats it on every
      // first sight of a collection, so the next ensure (or search) finishes the job.
      this.catalog.forget(kb);
      await this.catalog.describe(kb);
    });
  }

  async drop(kb: string): Promise<void> {
    await this.locks.run(kb, async () => {
      const name = collectionName(kb);
      this.catalog.forget(kb);
      this.rowCounts.forget(kb);
      try {
        await this.call(
          `drop knowledge base "${kb}"`,
          (c) => c.dropCollection({ collection_name: name }),
          (r) => r,
        );
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      this.catalog.forget(kb);
    });
  }

  async upsert(kb: string, chunks: StoredChunk[]): Promise<void> {
    if (chunks.length === 0) return;
    const unique = [...new Map(chunks.map((c) => [c.id, c])).values()];
    await this.catalog.on(kb, missingKb(kb), async (info) => {
      for (const chunk of unique) checkDimension(kb, info.dim, chunk.vector, `chunk ${chunk.id}`);
      for (let start = 0; start < unique.length; start += UPSERT_BATCH) {
        const data = unique.slice(start, start + UPSERT_BATCH).map((c) => chunkToRow(c, c.vector && unitVector(c.vector)));
        await this.call(
          `write to "${kb}"`,
          (c) => c.upsert({ collection_name: info.name, data }),
          (r) => r.status,
        );
      }
      this.rowCounts.forget(kb);
    });
  }

  async deleteByFile(kb: string, fileId: string): Promise<number> {
    const filter = filterExpr({ fileIds: [fileId] }) as string;
    return this.catalog.on(
      kb,
      () => 0,
      async (info) => {
        const count = await this.countWhere(kb, info, filter);
        if (count === 0) return 0;
        this.rowCounts.forget(kb);
        await this.call(
          `delete from "${kb}"`,
          (c) => c.delete({ collection_name: info.name, filter }),
          (r) => r.status,
        );
        return count;
      },
    );
  }

  async search(kb: string, query: StoreQuery): Promise<Hit[]> {
    const topK = Math.min(MAX_TOPK, Math.max(0, Math.floor(query.topK)));
    const filter = filterExpr(query.filter);
    return this.catalog.on(
      kb,
      () => [],
      async (info) => {
        if (query.mode === 'dense' && info.dim === null) throw keywordOnlyDenseError(kb);
        if (topK === 0 || filter === null) return [];
        if (query.mode === 'dense' && query.vector === undefined) {
          throw new TeamKbError('INVALID_INPUT', `Dense search of "${kb}" needs a query vector.`, { details: { kb } });
        }
        const useDense = query.mode !== 'bm25' && query.vector !== undefined && info.dim !== null;
        if (useDense) checkDimension(kb, info.dim, query.vector, 'the query vector');
        const useBm25 = query.mode !== 'dense' && (query.text ?? '').trim().length > 0;
        if (query.mode === 'bm25' && useBm25 && !info.fullText) {
          const server = await this.ctx.connection.get();
          throw new TeamKbError(
            'STORE_UNAVAILABLE',
            `Milvus ${server.version} at ${this.ctx.address} has no BM25 full-text search for "${kb}" (needs ${formatVersion(FULL_TEXT_MIN)}+ and a collection created there); use search mode "dense".`,
            { details: { kb } },
          );
        }
        if (query.mode !== 'hybrid') {
          if (query.mode === 'dense') return this.searchField(kb, info, 'dense', query.vector as Float32Array, topK, filter);
          return useBm25 ? this.searchField(kb, info, 'bm25', query.text as string, topK, filter) : [];
        }
        const rows = await this.rowCounts.get(kb, () => this.countWhere(kb, info, ''));
        const pool = hybridPool(topK, rows, query.fusion?.pool);
        const depth = Math.min(MAX_TOPK, pool.depth);
        const [dense, bm25] = await Promise.all([
          useDense ? this.searchField(kb, info, 'dense', query.vector as Float32Array, depth, filter) : [],
          useBm25 && info.fullText ? this.searchField(kb, info, 'bm25', query.text as string, depth, filter) : [],
        ]);
        return fuse(dense, bm25, { method: query.fusion?.method ?? 'weighted', ...query.fusion, topK });
      },
    );
  }

  async chunksAt(kb: string, fileId: string, ordinals: number[]): Promise<Chunk[]> {
    const wanted = [...new Set(ordinals.filter((o) => Number.isSafeInteger(o) && o >= 0))];
    if (wanted.length === 0) return [];
    return this.catalog.on(
      kb,
      () => [],
      async (info) => (await this.rowsWhere(kb, info, ordinalsExpr(fileId, wanted), wanted.length)).map(rowToChunk),
    );
  }

  async chunkById(kb: string, id: string): Promise<Chunk | undefined> {
    return this.catalog.on(
      kb,
      () => undefined,
      async (info) => {
        const [row] = await this.rowsWhere(kb, info, idExpr(id), 1);
        return row === undefined ? undefined : rowToChunk(row);
      },
    );
  }

  async count(kb: string): Promise<number> {
    return this.catalog.on(
      kb,
      () => 0,
      (info) => this.countWhere(kb, info, ''),
    );
  }

  async *scan(kb: string, batchSize = 1000): AsyncIterable<StoredChunk[]> {
    const info = await this.catalog.describe(kb);
    if (info === undefined) return;
    const size = Math.min(MAX_TOPK, Math.max(1, Math.floor(batchSize)));
    const outputFields = info.dim === null ? OUTPUT_FIELDS : [...OUTPUT_FIELDS, 'vector'];
    try {
      yield* scanPages(size, (filter) => this.rowsWhere(kb, info, filter, size, outputFields));
    } catch (err) {
      if (!isNotFound(err)) throw err;
      this.catalog.forget(kb);
    }
  }

  async close(): Promise<void> {
    await this.locks.idle();
    await this.ctx.connection.close();
  }

  private async searchField(
    kb: string,
    info: CollectionInfo,
    kind: 'dense' | 'bm25',
    data: Float32Array | string,
    limit: number,
    filter: string,
  ): Promise<Hit[]> {
    const res = await this.call(
      `search "${kb}"`,
      (c) =>
        c.search({
          collection_name: info.name,
          anns_field: kind === 'dense' ? 'vector' : 'sparse',
          data: [typeof data === 'string' ? data : Array.from(unitVector(data))],
          limit,
          ...(filter ? { filter } : {}),
          output_fields: OUTPUT_FIELDS,
          metric_type: kind === 'dense' ? 'COSINE' : 'BM25',
          // HNSW wants ef >= limit and refuses ef above 32,768.
          params: kind === 'dense' ? { ef: Math.min(32_768, Math.max(64, limit * 2)) } : {},
          consistency_level: 'Strong',
        }),
      (r) => r.status,
    );
    return toHits(res.results, kind);
  }

  private async rowsWhere(
    kb: string,
    info: CollectionInfo,
    filter: string,
    limit: number,
    fields = OUTPUT_FIELDS,
  ): Promise<Record<string, unknown>[]> {
    const res = await this.call(
      `read "${kb}"`,
      (c) => c.query({ collection_name: info.name, filter, output_fields: fields, limit, consistency_level: 'Strong' }),
      (r) => r.status,
    );
    return res.data;
  }

  private async countWhere(kb: string, info: CollectionInfo, filter: string): Promise<number> {
    const res = await this.call(
      `count the passages of "${kb}"`,
      (c) => c.query({ collection_name: info.name, filter, output_fields: ['count(*)'], consistency_level: 'Strong' }),
      (r) => r.status,
    );
    return Number(res.data[0]?.['count(*)'] ?? 0);
  }
}

export function collectionName(kb: string): string {
  return storageName('teamkb', kb, 255);
}
