import type { SqlDb } from '../../adapters/registry/sql-db.js';

/** Remembers (platform, event id) pairs so a platform's redelivery of an event is dropped. */
export class DedupeStore {
  constructor(
    private readonly db: SqlDb,
    private readonly windowMs: number,
  ) {}

  /**
   * True for the first delivery of an event within the window (and records it). One statement, so
   * the database decides atomically: on a shared PostgreSQL, of several replicas receiving the same
   * event exactly one gets true (a concurrent insert waits for the first and then sees its row).
   */
  firstDelivery(platform: string, eventId: string, now: number): boolean {
    if (!eventId) return true;
    // A row older than the window is reclaimed: the id is then treated as new.
    const claim = this.db.run(
      `INSERT INTO runtime_seen_events (platform, event_id, seen_at) VALUES (?, ?, ?)
       ON CONFLICT (platform, event_id) DO UPDATE SET seen_at = excluded.seen_at
       WHERE runtime_seen_events.seen_at <= ?`,
      platform,
      eventId,
      now,
      now - this.windowMs,
    );
    return claim.changes > 0;
  }

  purge(now: number): number {
    return this.db.run('DELETE FROM runtime_seen_events WHERE seen_at <= ?', now - this.windowMs).changes;
  }
}
