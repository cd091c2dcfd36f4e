import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { TeamKbError } from '../errors.js';
import { type IngestQueue, QUEUE_OWNER, type QueuedFile, type QueuedIngest } from '../ingest/queue.js';
import type { IngestInput } from '../ingest/types.js';
import type { IngestOptions, IngestSummary } from '../kb-service.js';
import type { Job, Registry } from '../registry.js';

/** How often an accepting replica reads the job's row while a worker runs it. */
const WAIT_POLL_MS = 250;

/**
 * Records a queued job, hands it to the queue and follows it through the registry until a worker
 * (this process or another) finishes it: callers see the same hooks and summary as an in-process run.
 */
export async function enqueueIngest(
  deps: { registry: Registry; queue: IngestQueue },
  kb: string,
  files: QueuedFile[],
  opts: IngestOptions,
): Promise<IngestSummary> {
  const job = deps.registry.createJob(kb, 'ingest', QUEUE_OWNER);
  try {
    await deps.queue.send({ jobId: job.id, kb, files });
  } catch (err) {
    deps.registry.updateJob(job.id, { status: 'failed', error: 'The ingest queue did not take the job.' });
    throw err;
  }
  opts.onJob?.(job.id);
  return waitForJob(deps.registry, job.id, opts);
}

function waitForJob(registry: Registry, id: string, opts: IngestOptions): Promise<IngestSummary> {
  return new Promise((resolve, reject) => {
    let shown = '';
    const check = () => {
      let job: Job | undefined;
      try {
        job = registry.getJob(id);
      } catch (err) {
        // The state database closed (shutdown) or failed: the job goes on elsewhere; stop following it.
        return finish(() => reject(err));
      }
      if (!job) return finish(() => reject(new TeamKbError('JOB_NOT_FOUND', `Job ${id} is gone.`)));
      const progress = JSON.stringify(job.progress);
      if (progress !== shown && job.status !== 'queued') opts.onProgress?.({ ...job.progress });
      shown = progress;
      if (job.status === 'done') return finish(() => resolve(summaryOf(job)));
      if (job.status === 'cancelled') finish(() => reject(new TeamKbError('CANCELLED', job.error ?? 'The job was cancelled.')));
      if (job.status === 'failed') finish(() => reject(new TeamKbError('INTERNAL', job.error ?? 'The job failed.')));
    };
    const timer = setInterval(check, WAIT_POLL_MS);
    const finish = (settle: () => void) => {
      clearInterval(timer);
      settle();
    };
    check();
  });
}

function summaryOf(job: Job): IngestSummary {
  const result = (job.result ?? {}) as Partial<IngestSummary>;
  return {
    jobId: job.id,
    kb: job.kb,
    ingested: result.ingested ?? [],
    unchanged: result.unchanged ?? [],
    failed: result.failed ?? [],
    chunks: result.chunks ?? 0,
    seconds: (Date.parse(job.updatedAt) - Date.parse(job.createdAt)) / 1000,
  };
}

/**
 * The files of a queued job as pipeline inputs. A retry after a worker died may find an upload
 * already moved into the content folder (its staged copy gone): it is ingested from there.
 */
export async function queuedInputs(contentDir: string, job: QueuedIngest): Promise<IngestInput[]> {
  const inputs: IngestInput[] = [];
  for (const file of job.files) {
    const path = join(contentDir, file.name);
    const staged = file.stagedPath ? await stat(file.stagedPath).catch(() => undefined) : undefined;
    const info = staged ?? (await stat(path).catch(() => undefined));
    if (!info) continue;
    inputs.push({ name: file.name, path, size: info.size, stagedPath: staged ? file.stagedPath : undefined });
  }
  return inputs;
}

/** A queued run's summary where an in-process run's stage times are expected (they are the worker's). */
export const withoutTimes = (summary: IngestSummary) => ({ ...summary, times: { parse: 0, split: 0, embed: 0, store: 0 } });

const FINISHED: Record<string, string> = { done: 'finished', failed: 'failed', cancelled: 'been cancelled' };

/**
 * Cancels a job that is still waiting for a worker: the registry decides (a worker starting it at
 * the same moment sees it cancelled and skips it), then the queue drops it and its staged uploads
 * are removed. A running job is refused: its files may be half moved into place, and the pipeline
 * only stops between files, so a cancel could not say what was kept.
 */
export async function cancelQueuedJob(deps: { registry: Registry; queue?: IngestQueue }, id: string): Promise<Job> {
  const job = deps.registry.getJob(id);
  if (!job) throw new TeamKbError('JOB_NOT_FOUND', `No job "${id}".`);
  if (!deps.registry.cancelQueuedJob(id, 'Cancelled before it started.')) {
    const status = deps.registry.getJob(id)?.status ?? job.status;
    const why =
      status === 'running'
        ? 'is already running, and a running ingest cannot be cancelled. Wait for it to end, then remove the files you did not want.'
        : `has already ${FINISHED[status] ?? status}; only a job still waiting in the queue can be cancelled.`;
    throw new TeamKbError('JOB_NOT_CANCELLABLE', `Job ${id.slice(0, 8)} ${why}`, { details: { job: id, status } });
  }
  const queued = await deps.queue?.cancel(id).catch(() => undefined);
  for (const file of queued?.files ?? []) if (file.stagedPath) await rm(file.stagedPath, { force: true });
  return deps.registry.getJob(id) ?? job;
}
