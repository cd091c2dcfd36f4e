import type { SqliteDb } from '../../adapters/registry/sqlite-db.js';

/** Remembers (platform, event id) pairs so a platform's redelivery of an event is dropped. */
export class DedupeStore {
  private readonly claim;
  private readonly purgeOld;

  constructor(
    db: SqliteDb,
    private readonly windowMs: number,
  ) {
    // A row older than the window is reclaimed: the id is then treated as new.
    this.claim = db.prepare(`INSERT INTO runtime_seen_events (platform, event_id, seen_at) VALUES (?, ?, ?)
      ON CONFLICT (platform, event_id) DO UPDATE SET seen_at = excluded.seen_at
      WHERE runtime_seen_events.seen_at <= ?`);
    this.purgeOld = db.prepare('DELETE FROM runtime_seen_events WHERE seen_at <= ?');
  }

  /** True for the first delivery of an event within the window (and records it). */
  firstDelivery(platform: string, eventId: string, now: number): boolean {
    if (!eventId) return true;
    return this.claim.run(platform, eventId, now, now - this.windowMs).changes > 0;
  }

  purge(now: number): number {
    return this.purgeOld.run(now - this.windowMs).changes;
  }
}
