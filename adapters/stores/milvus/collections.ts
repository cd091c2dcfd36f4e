/** What the store knows about one KB's collection. */
export interface CollectionInfo {
  name: string;
  dim: number | null;
  /** Has the BM25 sparse field and the server can search it. */
  fullText: boolean;
  /** Server-side id: changes when another process drops and recreates the collection. */
  id: string;
}

/**
 * Collection descriptions, trusted for a short time only. Another replica may drop or recreate a
 * KB at any moment; besides this TTL the store forgets an entry as soon as Milvus answers
 * "collection not found", so a stale entry costs at most one failed call.
 */
export class CollectionCache {
  private readonly entries = new Map<string, { info: CollectionInfo; at: number }>();
  /** Collection ids this process has loaded (load once per incarnation of a collection). */
  private readonly loaded = new Map<string, string>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(kb: string): CollectionInfo | undefined {
    const entry = this.entries.get(kb);
    if (entry === undefined) return undefined;
    if (this.now() - entry.at > this.ttlMs) {
      this.entries.delete(kb);
      return undefined;
    }
    return entry.info;
  }

  set(kb: string, info: CollectionInfo): void {
    this.entries.set(kb, { info, at: this.now() });
  }

  isLoaded(info: CollectionInfo): boolean {
    return this.loaded.get(info.name) === info.id;
  }

  markLoaded(info: CollectionInfo): void {
    this.loaded.set(info.name, info.id);
  }

  forget(kb: string, name: string): void {
    this.entries.delete(kb);
    this.loaded.delete(name);
  }
}
