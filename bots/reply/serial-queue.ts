import type { Logger } from 'pino';

/** Runs a reply's platform calls one after another so messages appear in the order the parts came. */
export class SerialQueue {
  private tail: Promise<void> = Promise.resolve();

  constructor(private readonly logger: Logger) {}

  /** Queues a task; the returned promise settles when it finished. Failures are logged, never thrown. */
  run(task: () => Promise<void>): Promise<void> {
    const next = this.tail.then(task).catch((err: unknown) => {
      this.logger.warn({ err }, 'sending a reply message failed');
    });
    this.tail = next;
    return next;
  }
}
