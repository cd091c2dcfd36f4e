import { EventEmitter } from 'node:events';
import type { IngestSummary, KbService } from '../core/kb-service.js';
import type { Job, JobProgress } from '../core/registry.js';

export type JobEvent =
  | { type: 'progress'; progress: JobProgress }
  | { type: 'done'; summary: IngestSummary }
  | { type: 'error'; message: string };

/** How long the last event of a finished job is kept for late subscribers (the registry keeps the result). */
const FINISHED_EVENT_TTL_MS = 10 * 60_000;

/**
 * Runs ingest jobs in the background and fans their progress out to listeners (SSE streams).
 * The jobs themselves are the registry's (read through the KB service): the tracker only adds
 * live events for the ones this process runs.
 */
export class JobTracker {
  private readonly events = new EventEmitter();
  private readonly last = new Map<string, JobEvent>();
  /** Jobs running in this process; others (CLI, another replica) are followed through the registry. */
  private readonly live = new Set<string>();

  constructor(
    private readonly registry: Pick<KbService, 'getJob' | 'listJobs' | 'cancelJob'>,
    private readonly pollMs = 1000,
  ) {
    this.events.setMaxListeners(0);
  }

  /** Starts work that reports a job id synchronously; resolves with that id at once. */
  start(
    work: (hooks: { onJob: (id: string) => void; onProgress: (p: JobProgress) => void }) => Promise<IngestSummary>,
  ): Promise<string> {
    return new Promise((resolve, reject) => {
      let jobId: string | undefined;
      const emit = (event: JobEvent) => {
        if (!jobId) return;
        this.last.set(jobId, event);
        this.events.emit(jobId, event);
      };
      work({
        onJob: (id) => {
          jobId = id;
          this.live.add(id);
          resolve(id);
        },
        onProgress: (progress) => emit({ type: 'progress', progress }),
      })
        .then((summary) => emit({ type: 'done', summary }))
        .catch((err: unknown) => {
          if (!jobId) return reject(err);
          emit({ type: 'error', message: err instanceof Error ? err.message : String(err) });
        })
        .finally(() => {
          if (jobId) this.live.delete(jobId);
          if (jobId) setTimeout(() => this.last.delete(jobId as string), FINISHED_EVENT_TTL_MS).unref();
        });
    });
  }

  get(id: string): Job | undefined {
    return this.registry.getJob(id);
  }

  list(filter?: { kb?: string; unfinished?: boolean }): Job[] {
    return this.registry.listJobs(filter);
  }

  /** Cancels a job still waiting in the ingest queue (followers then get an error event). */
  cancel(id: string): Promise<Job> {
    return this.registry.cancelJob(id);
  }

  /** Subscribes to a job; the latest event is replayed at once. Returns an unsubscribe function. */
  subscribe(id: string, listener: (event: JobEvent) => void): () => void {
    const latest = this.last.get(id);
    if (latest) listener(latest);
    else if (!this.live.has(id)) return this.pollRegistry(id, listener);
    this.events.on(id, listener);
    return () => this.events.off(id, listener);
  }

  /** Follows a job another process runs by reading its registry row until it ends. */
  private pollRegistry(id: string, listener: (event: JobEvent) => void): () => void {
    let shown = '';
    const check = () => {
      const job = this.registry.getJob(id);
      if (!job) return stop();
      if (job.status === 'done') {
        stop();
        return listener({ type: 'done', summary: job.result as IngestSummary });
      }
      if (job.status === 'failed' || job.status === 'cancelled') {
        stop();
        return listener({ type: 'error', message: job.error ?? `Job ${job.status}.` });
      }
      const progress = JSON.stringify(job.progress);
      if (progress !== shown) listener({ type: 'progress', progress: job.progress });
      shown = progress;
    };
    const timer = setInterval(check, this.pollMs);
    const stop = () => clearInterval(timer);
    check();
    return stop;
  }
}
