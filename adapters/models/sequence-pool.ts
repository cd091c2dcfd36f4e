import { cancelledError } from './cancel.js';

/** Hands out a fixed set of resources (context sequences) one request at a time, in arrival order. */
export class ResourcePool<T> {
  private readonly free: T[];
  private readonly waiters: Array<{ resolve: (item: T) => void; reject: (err: unknown) => void; cleanup: () => void }> = [];

  constructor(items: T[]) {
    this.free = [...items];
  }

  get waiting(): number {
    return this.waiters.length;
  }

  acquire(signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(cancelledError('Generation'));
    const item = this.free.shift();
    if (item !== undefined) return Promise.resolve(item);
    return new Promise<T>((resolve, reject) => {
      const waiter = {
        resolve,
        reject,
        cleanup: () => signal?.removeEventListener('abort', onAbort),
      };
      const onAbort = () => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(cancelledError('Generation'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  release(item: T): void {
    const next = this.waiters.shift();
    if (next) {
      next.cleanup();
      next.resolve(item);
    } else this.free.push(item);
  }
}
