import { performance } from 'node:perf_hooks';

/**
 * Coalesces many update requests into at most one run per interval. A run that is due starts at
 * once; requests made while it runs or waits are folded into the next one.
 */
export class Throttle {
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private lastRunAt = Number.NEGATIVE_INFINITY;
  private pending = false;
  private stopped = false;

  constructor(
    private readonly intervalMs: number,
    private readonly task: () => Promise<void>,
  ) {}

  poke(): void {
    if (this.stopped) return;
    this.pending = true;
    this.arm();
  }

  /** Cancels any wait, lets a running task finish, and tells whether an update was still waiting. */
  async stop(): Promise<boolean> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.inFlight;
    return this.pending;
  }

  private arm(): void {
    if (this.timer || this.inFlight || !this.pending) return;
    const wait = this.lastRunAt + this.intervalMs - performance.now();
    if (wait <= 0) {
      this.fire();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.fire();
    }, wait);
  }

  private fire(): void {
    this.pending = false;
    this.inFlight = this.task().finally(() => {
      this.lastRunAt = performance.now();
      this.inFlight = undefined;
      if (!this.stopped) this.arm();
    });
  }
}
