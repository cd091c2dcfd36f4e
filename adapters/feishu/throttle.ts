/**
 * Sends the latest offered value at most once per interval, one call at a time; values offered
 * in between are coalesced (only the newest is sent).
 */
export class CoalescingUpdater<T> {
  private latest: T | undefined;
  private dirty = false;
  private inFlight: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastSentAt = 0;
  private stopped = false;

  constructor(
    private readonly send: (value: T) => Promise<void>,
    private readonly intervalMs: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** Counts as a send for spacing (e.g. the message that created the card). */
  markSent(): void {
    this.lastSentAt = Date.now();
  }

  offer(value: T): void {
    if (this.stopped) return;
    this.latest = value;
    this.dirty = true;
    this.schedule();
  }

  private schedule(): void {
    if (this.timer || this.inFlight || this.stopped) return;
    const wait = Math.max(0, this.lastSentAt + this.intervalMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, wait);
  }

  private flush(): void {
    if (!this.dirty || this.stopped) return;
    const value = this.latest as T;
    this.dirty = false;
    this.lastSentAt = Date.now();
    this.inFlight = this.send(value)
      .catch(this.onError)
      .finally(() => {
        this.inFlight = undefined;
        if (this.dirty) this.schedule();
      });
  }

  /**
   * Stops intermediate sends, waits for the one in flight and for the next free slot, so the
   * caller's final update keeps the spacing too. Unsent intermediate values are dropped.
   */
  async close(): Promise<void> {
    this.stopped = true;
    this.dirty = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.inFlight;
    const wait = this.lastSentAt + this.intervalMs - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    this.lastSentAt = Date.now();
  }
}
