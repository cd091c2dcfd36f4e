/** Bridges callback-style producers (token callbacks) to a single async-iterator consumer. */
export class PushQueue<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private waiting: { resolve: (r: IteratorResult<T>) => void; reject: (e: unknown) => void } | undefined;
  private ended = false;
  private error: unknown;
  private failed = false;

  push(item: T): void {
    if (this.ended || this.failed) return;
    const waiter = this.waiting;
    if (waiter) {
      this.waiting = undefined;
      waiter.resolve({ value: item, done: false });
    } else this.items.push(item);
  }

  end(): void {
    if (this.ended || this.failed) return;
    this.ended = true;
    this.wake();
  }

  fail(error: unknown): void {
    if (this.ended || this.failed) return;
    this.failed = true;
    this.error = error;
    this.wake();
  }

  private wake(): void {
    const waiter = this.waiting;
    if (!waiter || this.items.length > 0) return;
    this.waiting = undefined;
    if (this.failed) waiter.reject(this.error);
    else waiter.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        if (this.items.length > 0) return Promise.resolve({ value: this.items.shift() as T, done: false });
        if (this.failed) return Promise.reject(this.error);
        if (this.ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve, reject) => {
          this.waiting = { resolve, reject };
        });
      },
    };
  }
}
