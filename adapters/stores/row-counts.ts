/**
 * Chunk counts per KB, for choosing hybrid search's pool (core/retrieval/pool.ts) without counting
 * on every search. Writes through this store forget the KB's count; writes by another process are
 * seen after `ttlMs`. A stale count only moves the pool depth, never what a search may return.
 */
export class RowCounts {
  private readonly entries = new Map<string, { rows: number; at: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async get(kb: string, count: () => Promise<number>): Promise<number> {
    const entry = this.entries.get(kb);
    if (entry !== undefined && this.now() - entry.at <= this.ttlMs) return entry.rows;
    const at = this.now();
    const rows = await count();
    this.entries.set(kb, { rows, at });
    return rows;
  }

  forget(kb: string): void {
    this.entries.delete(kb);
  }
}

/** How long a KB's chunk count is trusted when nothing was written through this store. */
export const ROW_COUNT_TTL_MS = 30_000;
