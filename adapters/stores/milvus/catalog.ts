import type { Logger } from 'pino';
import type { MilvusApi } from './api.js';
import type { MilvusCall } from './calls.js';
import { CollectionCache, type CollectionInfo } from './collections.js';
import type { MilvusConnection, MilvusServer } from './connection.js';
import { dimensionOf, hasSparse, indexRequests } from './schema.js';
import { failureKind, isIndexMissing, isNotFound, storeError } from './status.js';

/**
 * Which KB lives in which collection, as Milvus says now: descriptions are cached briefly, read
 * afresh after any "not found" or "not loaded" answer, and every collection seen for the first
 * time gets its missing indexes and a load — which also finishes a create that failed half-way.
 */
export class CollectionCatalog {
  private readonly cache: CollectionCache;

  constructor(
    private readonly deps: {
      call: MilvusCall;
      connection: MilvusConnection;
      address: string;
      nameOf: (kb: string) => string;
      ttlMs: number;
      logger?: Logger;
    },
  ) {
    this.cache = new CollectionCache(deps.ttlMs);
  }

  forget(kb: string): void {
    this.cache.forget(kb, this.deps.nameOf(kb));
  }

  /**
   * Runs `task` on the KB's collection, or returns `missing()` when there is none. When Milvus
   * says the collection is gone (dropped, or recreated by another process and not loaded yet),
   * the cached description is dropped and the task runs once more on a fresh one.
   */
  async on<T>(kb: string, missing: () => T, task: (info: CollectionInfo) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const info = await this.describe(kb);
      if (info === undefined) return missing();
      try {
        return await task(info);
      } catch (err) {
        const kind = failureKind(err);
        if (kind !== 'not-found' && kind !== 'not-loaded') throw err;
        this.forget(kb);
        if (attempt > 0) {
          if (kind === 'not-found') return missing();
          throw storeError(err, `use "${kb}"`, this.deps.address);
        }
      }
    }
  }

  async describe(kb: string): Promise<CollectionInfo | undefined> {
    const cached = this.cache.get(kb);
    if (cached !== undefined) return cached;
    const name = this.deps.nameOf(kb);
    let described: Awaited<ReturnType<MilvusApi['describeCollection']>>;
    try {
      // Not the SDK's cached describe: this read also refreshes the schema the SDK keeps for
      // building searches and inserts, which matters after another process recreated the KB.
      described = await this.deps.call(
        `look up knowledge base "${kb}"`,
        (c) => c.describeCollection({ collection_name: name }),
        (r) => r.status,
      );
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
    const server = await this.deps.connection.get();
    const fields = described.schema.fields;
    const info: CollectionInfo = {
      name,
      dim: dimensionOf(fields),
      fullText: hasSparse(fields) && server.fullText,
      id: String(described.collectionID ?? ''),
    };
    if (!this.cache.isLoaded(info)) await this.prepare(kb, info, server, hasSparse(fields));
    this.cache.set(kb, info);
    return info;
  }

  /** Creates whatever index is missing and loads the collection. */
  private async prepare(kb: string, info: CollectionInfo, server: MilvusServer, sparse: boolean): Promise<void> {
    const { call } = this.deps;
    const listed = await call(
      `list the indexes of "${kb}"`,
      (c) => c.describeIndex({ collection_name: info.name }),
      (r) => (isIndexMissing(r.status) ? undefined : r.status),
    );
    const present = new Set((isIndexMissing(listed.status) ? [] : (listed.index_descriptions ?? [])).map((d) => d.field_name));
    const plan = { name: info.name, kb, dim: info.dim, fullText: sparse, indexAlgo: server.indexAlgo };
    for (const index of indexRequests(plan)) {
      if (present.has(String(index.field_name))) continue;
      this.deps.logger?.info({ kb, field: index.field_name }, 'creating missing Milvus index');
      await call(
        `index "${kb}"`,
        (c) => c.createIndex(index),
        (r) => r,
      );
    }
    await call(
      `load "${kb}"`,
      (c) => c.loadCollection({ collection_name: info.name }),
      (r) => r,
    );
    this.cache.markLoaded(info);
  }
}
