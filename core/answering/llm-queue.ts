import { TeamKbError } from '../errors.js';

interface Waiter {
  grant: () => void;
  onPosition?: (position: number) => void;
}

/**
 * A bounded FIFO in front of a model: at most `concurrency` requests run; the rest wait their turn
 * and are told their position as it changes. A cancelled waiter leaves the line; a finished or
 * cancelled runner frees its slot for the next in line.
 */
export class LlmQueue {
  private running = 0;
  private readonly waiting: Waiter[] = [];

  constructor(
    private readonly concurrency = 1,
    private readonly maxWaiting = 1000,
  ) {}

  get stats(): { running: number; queued: number } {
    return { running: this.running, queued: this.waiting.length };
  }

  /** Resolves with a release function once a slot is free. */
  acquire(signal?: AbortSignal, onPosition?: (position: number) => void): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(new TeamKbError('CANCELLED', 'The question was cancelled.'));
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.running--;
      this.next();
    };
    if (this.running < this.concurrency && this.waiting.length === 0) {
      this.running++;
      return Promise.resolve(release);
    }
    if (this.waiting.length >= this.maxWaiting) {
      return Promise.reject(new TeamKbError('RATE_LIMITED', 'Too many questions are waiting; please try again in a minute.'));
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          this.running++;
          resolve(release);
        },
        onPosition,
      };
      const onAbort = () => {
        const index = this.waiting.indexOf(waiter);
        if (index >= 0) this.waiting.splice(index, 1);
        this.announce();
        reject(new TeamKbError('CANCELLED', 'The question was cancelled.'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(waiter);
      onPosition?.(this.waiting.length);
    });
  }

  private next(): void {
    while (this.running < this.concurrency && this.waiting.length > 0) this.waiting.shift()?.grant();
    this.announce();
  }

  private announce(): void {
    this.waiting.forEach((w, i) => {
      w.onPosition?.(i + 1);
    });
  }
}
