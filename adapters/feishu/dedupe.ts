/**
 * Remembers the last `capacity` keys (insertion order) so a redelivered event is dropped
 * before any work; the runtime dedupes again across restarts and replicas.
 */
export class RecentKeys {
  private readonly keys = new Set<string>();

  constructor(private readonly capacity = 10_000) {}

  /** True the first time a key is seen. */
  firstSight(key: string): boolean {
    if (this.keys.has(key)) return false;
    this.keys.add(key);
    if (this.keys.size > this.capacity) {
      const oldest = this.keys.values().next().value;
      if (oldest !== undefined) this.keys.delete(oldest);
    }
    return true;
  }

  has(key: string): boolean {
    return this.keys.has(key);
  }
}
