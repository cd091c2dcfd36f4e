import type { Logger } from 'pino';
import type { StoredChunk } from '../../../core/chunk.js';
import { TeamKbError } from '../../../core/errors.js';
import { fuse, hybridPoolSize } from '../../../core/retrieval/fusion.js';
import type { Hit, StoreQuery, VectorStore } from '../../../core/vector-store.js';
import { KeyedLock } from '../keyed-lock.js';
import { storageName } from '../store-names.js';
import { checkDimension, keywordOnlyDenseError, unitVector } from '../vectors.js';
import { checkStatus, type MilvusApi } from './api.js';
import { filterExpr } from './filter-expr.js';
import { chunkToRow, rowToStoredChunk, toHits } from './results.js';
import { DEFAULT_RETRY, type RetryPolicy, withRetry } from './retry.js';
import { createCollectionRequest, dimensionOf, hasSparse, indexRequests, OUTPUT_FIELDS } from './schema.js';

interface CollectionInfo {
  name: string;
  dim: number | null;
  fullText: boolean;
}

export interface MilvusStoreContext {
  client: MilvusApi;
  address: string;
  /** Server version, e.g. "v2.5.4". */
  version: string;
  /** Whether the server has BM25 full-text functions (2.5+). */
  fullText: boolean;
  logger?: Logger;
  retry?: RetryPolicy;
}

const UPSERT_BATCH = 500;

/** One collection per KB on a Milvus server; hybrid = dense + BM25 lists fused client-side. */
export class MilvusStore implements VectorStore {
  readonly id = 'milvus';
  private readonly collections = new Map<string, CollectionInfo>();
  private readonly locks = new KeyedLock();

  constructor(private readonly ctx: MilvusStoreContext) {}

  async ensure(kb: string, dim: number | null): Promise<void> {
    await this.locks.run(kb, async () => {
      const existing = await this.describe(kb);
      if (existing !== undefined) {
        if (existing.dim !== dim) {
          throw new TeamKbError(
            'DIMENSION_MISMATCH',
            `Knowledge base "${kb}" on Milvus holds ${describeDim(existing.dim)}, not ${describeDim(dim)}.`,
            {
              details: { kb, expected: existing.dim, got: dim },
            },
          );
        }
        return;
      }
      if (dim === null && !this.ctx.fullText) {
        throw new TeamKbError(
          'STORE_UNAVAILABLE',
          `Milvus ${this.ctx.version} at ${this.ctx.address} has no full-text search (needs 2.5+), so keyword-only knowledge base "${kb}" cannot live there.`,
          { details: { kb } },
        );
      }
      const plan = { name: collectionName(kb), kb, dim, fullText: this.ctx.fullText };
      await this.call('create collection', () => this.ctx.client.createCollection(createCollectionRequest(plan)));
      for (const index of indexRequests(plan)) await this.call('create index', () => this.ctx.client.createIndex(index));
      await this.call('load collection', () => this.ctx.client.loadCollection({ collection_name: plan.name }));
      this.collections.set(kb, { name: plan.name, dim, fullText: plan.fullText });
    });
  }

  async drop(kb: string): Promise<void> {
    await this.locks.run(kb, async () => {
      this.collections.delete(kb);
      const name = collectionName(kb);
      const has = await this.retry(() => this.ctx.client.hasCollection({ collection_name: name }));
      if (has.value) await this.call('drop collection', () => this.ctx.client.dropCollection({ collection_name: name }));
    });
  }

  async upsert(kb: string, chunks: StoredChunk[]): Promise<void> {
    if (chunks.length === 0) return;
    const info = await this.require(kb);
    const unique = [...new Map(chunks.map((c) => [c.id, c])).values()];
    for (const chunk of unique) checkDimension(kb, info.dim, chunk.vector, `chunk ${chunk.id}`);
    for (let start = 0; start < unique.length; start += UPSERT_BATCH) {
      const data = unique.slice(start, start + UPSERT_BATCH).map((c) => chunkToRow(c, c.vector && unitVector(c.vector)));
      const res = await this.retry(() => this.ctx.client.upsert({ collection_name: info.name, data }));
      checkStatus(res.status, `upsert into ${info.name}`);
    }
  }

  async deleteByFile(kb: string, fileId: string): Promise<number> {
    const info = await this.describe(kb);
    if (info === undefined) return 0;
    const filter = filterExpr({ fileIds: [fileId] }) as string;
    const count = await this.countWhere(info.name, filter);
    if (count === 0) return 0;
    const res = await this.retry(() => this.ctx.client.delete({ collection_name: info.name, filter }));
    checkStatus(res.status, `delete from ${info.name}`);
    return count;
  }

  async search(kb: string, query: StoreQuery): Promise<Hit[]> {
    const info = await this.describe(kb);
    const topK = Math.max(0, Math.floor(query.topK));
    const filter = filterExpr(query.filter);
    if (info !== undefined && query.mode === 'dense' && info.dim === null) throw keywordOnlyDenseError(kb);
    if (info === undefined || topK === 0 || filter === null) return [];
    if (query.mode === 'dense' && query.vector === undefined) {
      throw new TeamKbError('INVALID_INPUT', `Dense search of "${kb}" needs a query vector.`, { details: { kb } });
    }
    const useDense = query.mode !== 'bm25' && query.vector !== undefined && info.dim !== null;
    if (useDense) checkDimension(kb, info.dim, query.vector, 'the query vector');
    const useBm25 = query.mode !== 'dense' && (query.text ?? '').trim().length > 0;
    if (query.mode === 'bm25' && useBm25 && !info.fullText) {
      throw new TeamKbError(
        'STORE_UNAVAILABLE',
        `Milvus ${this.ctx.version} at ${this.ctx.address} has no BM25 full-text search (needs 2.5+); use search mode "dense".`,
        { details: { kb } },
      );
    }
    if (query.mode !== 'hybrid') {
      if (query.mode === 'dense') return this.searchField(info, 'dense', query.vector as Float32Array, topK, filter);
      return useBm25 ? this.searchField(info, 'bm25', query.text as string, topK, filter) : [];
    }
    const depth = hybridPoolSize(topK, query.fusion?.pool);
    const [dense, bm25] = await Promise.all([
      useDense ? this.searchField(info, 'dense', query.vector as Float32Array, depth, filter) : [],
      useBm25 && info.fullText ? this.searchField(info, 'bm25', query.text as string, depth, filter) : [],
    ]);
    return fuse(dense, bm25, { method: query.fusion?.method ?? 'weighted', ...query.fusion, topK });
  }

  async count(kb: string): Promise<number> {
    const info = await this.describe(kb);
    return info === undefined ? 0 : this.countWhere(info.name, '');
  }

  async *scan(kb: string, batchSize = 1000): AsyncIterable<StoredChunk[]> {
    const info = await this.describe(kb);
    if (info === undefined) return;
    const output_fields = info.dim === null ? OUTPUT_FIELDS : [...OUTPUT_FIELDS, 'vector'];
    const iterator = await this.retry(() =>
      this.ctx.client.queryIterator({
        collection_name: info.name,
        batchSize,
        output_fields,
        expr: '',
        consistency_level: 'Strong',
      }),
    );
    for await (const rows of iterator) if (rows.length > 0) yield rows.map(rowToStoredChunk);
  }

  async close(): Promise<void> {
    await this.locks.idle();
    await this.ctx.client.closeConnection();
  }

  private async searchField(
    info: CollectionInfo,
    kind: 'dense' | 'bm25',
    data: Float32Array | string,
    limit: number,
    filter: string,
  ): Promise<Hit[]> {
    const res = await this.retry(() =>
      this.ctx.client.search({
        collection_name: info.name,
        anns_field: kind === 'dense' ? 'vector' : 'sparse',
        data: [typeof data === 'string' ? data : Array.from(unitVector(data))],
        limit,
        ...(filter ? { filter } : {}),
        output_fields: OUTPUT_FIELDS,
        metric_type: kind === 'dense' ? 'COSINE' : 'BM25',
        params: kind === 'dense' ? { ef: Math.max(64, limit * 2) } : {},
        consistency_level: 'Strong',
      }),
    );
    checkStatus(res.status, `search ${info.name}`);
    return toHits(res.results, kind);
  }

  private async countWhere(name: string, filter: string): Promise<number> {
    const res = await this.retry(() =>
      this.ctx.client.query({ collection_name: name, filter, output_fields: ['count(*)'], consistency_level: 'Strong' }),
    );
    checkStatus(res.status, `count ${name}`);
    return Number(res.data[0]?.['count(*)'] ?? 0);
  }

  private async describe(kb: string): Promise<CollectionInfo | undefined> {
    const cached = this.collections.get(kb);
    if (cached !== undefined) return cached;
    const name = collectionName(kb);
    const has = await this.retry(() => this.ctx.client.hasCollection({ collection_name: name }));
    checkStatus(has.status, `look up ${name}`);
    if (!has.value) return undefined;
    const described = await this.retry(() => this.ctx.client.describeCollection({ collection_name: name }));
    checkStatus(described.status, `describe ${name}`);
    const fields = described.schema.fields;
    const info = { name, dim: dimensionOf(fields), fullText: hasSparse(fields) };
    await this.call('load collection', () => this.ctx.client.loadCollection({ collection_name: name }));
    this.collections.set(kb, info);
    return info;
  }

  private async require(kb: string): Promise<CollectionInfo> {
    const info = await this.describe(kb);
    if (info === undefined) {
      throw new TeamKbError('KB_NOT_FOUND', `Knowledge base "${kb}" has no Milvus collection yet (create it first).`, {
        details: { kb },
      });
    }
    return info;
  }

  private retry<T>(task: () => Promise<T>): Promise<T> {
    return withRetry(task, this.ctx.retry ?? DEFAULT_RETRY);
  }

  private async call(
    what: string,
    task: () => Promise<{ error_code?: string | number; code?: number; reason?: string }>,
  ): Promise<void> {
    checkStatus(await this.retry(task), what);
  }
}

export function collectionName(kb: string): string {
  return storageName('teamkb', kb, 255);
}

function describeDim(dim: number | null): string {
  return dim === null ? 'no vectors (keyword-only)' : `${dim}-dim vectors`;
}
