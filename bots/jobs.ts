import { EventEmitter } from 'node:events';
import type { IngestSummary } from '../core/kb-service.js';
import type { Job, JobProgress, Registry } from '../core/registry.js';

export type JobEvent =
  | { type: 'progress'; progress: JobProgress }
  | { type: 'done'; summary: IngestSummary }
  | { type: 'error'; message: string };

/** How long the last event of a finished job is kept for late subscribers (the registry keeps the result). */
const FINISHED_EVENT_TTL_MS = 10 * 60_000;

/**
 * Runs ingest jobs in the background and fans their progress out to listeners (SSE streams,
 * chat progress messages). Finished jobs are read back from the registry.
 */
export class JobTracker {
  private readonly events = new EventEmitter();
  private readonly last = new Map<string, JobEvent>();

  constructor(private readonly registry: Registry) {
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
          if (jobId) setTimeout(() => this.last.delete(jobId as string), FINISHED_EVENT_TTL_MS).unref();
        });
    });
  }

  get(id: string): Job | undefined {
    return this.registry.getJob(id);
  }

  /** Subscribes to a job; the latest event is replayed at once. Returns an unsubscribe function. */
  subscribe(id: string, listener: (event: JobEvent) => void): () => void {
    const latest = this.last.get(id);
    if (latest) listener(latest);
    this.events.on(id, listener);
    return () => this.events.off(id, listener);
  }
}
