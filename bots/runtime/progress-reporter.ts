import type { Logger } from 'pino';
import type { JobProgressView, Reply } from '../../core/chat.js';
import type { JobProgress } from '../../core/registry.js';

const MIN_INTERVAL_MS = 1000;

/**
 * Shows a job's progress as `progress` parts: the first at once, then at most one per second,
 * and always the final one. Writes are chained so they reach the adapter in order.
 */
export class ProgressReporter {
  private view: JobProgressView;
  private lastWrite = Number.NEGATIVE_INFINITY;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly reply: Reply,
    jobId: string,
    kb: string,
    filesTotal: number,
    private readonly now: () => number,
    private readonly logger: Logger,
  ) {
    this.view = { jobId, kb, filesDone: 0, filesTotal, chunks: 0, failed: 0 };
  }

  update(p: JobProgress): void {
    this.view = {
      ...this.view,
      filesDone: p.filesDone,
      filesTotal: p.filesTotal,
      chunks: p.chunksDone,
      failed: p.failed,
      currentFile: p.currentFile,
    };
    if (this.now() - this.lastWrite >= MIN_INTERVAL_MS) this.write();
  }

  /** Writes the final state with its summary line and waits for every write. */
  async finish(summary: string, final?: Partial<JobProgressView>): Promise<void> {
    this.view = { ...this.view, ...final, currentFile: undefined, summary };
    this.write();
    await this.chain;
  }

  private write(): void {
    this.lastWrite = this.now();
    const progress = { ...this.view };
    this.chain = this.chain
      .then(() => this.reply.write({ type: 'progress', progress }))
      .catch((err: unknown) => this.logger.warn({ err, jobId: progress.jobId }, 'progress update not shown'));
  }
}
