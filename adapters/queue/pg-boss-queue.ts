import PgBoss from 'pg-boss';
import type { IngestQueue, QueuedIngest } from '../../core/ingest/queue.js';

const QUEUE = 'teamkb-ingest';

export interface PgBossQueueOptions {
  databaseUrl: string;
  /** Seconds a run may take before the queue takes it to be abandoned and retries it. */
  timeoutSeconds: number;
  onError?: (err: Error) => void;
}

/**
 * The ingest queue on pg-boss, in its own schema of the state database. A worker that dies
 * mid-job leaves it active until the timeout; pg-boss's maintenance then puts it back for retry.
 */
export async function openPgBossQueue(opts: PgBossQueueOptions): Promise<IngestQueue> {
  const boss = new PgBoss({
    connectionString: opts.databaseUrl,
    schema: 'teamkb_queue',
    max: 4,
    // Abandoned runs are found at the latest a quarter of the timeout after it passes.
    maintenanceIntervalSeconds: Math.max(1, Math.min(60, Math.floor(opts.timeoutSeconds / 4))),
  });
  boss.on('error', (err: Error) => opts.onError?.(err));
  await boss.start();
  await boss.createQueue(QUEUE, {
    name: QUEUE,
    retryLimit: 5,
    retryDelay: 2,
    retryBackoff: true,
    expireInSeconds: opts.timeoutSeconds,
  });
  return {
    async send(job) {
      // The registry job's id names the queue job too, so a cancel can find it.
      await boss.send(QUEUE, job, { id: job.jobId });
    },
    async cancel(jobId) {
      const found = await boss.getJobById<QueuedIngest>(QUEUE, jobId);
      if (!found || (found.state !== 'created' && found.state !== 'retry')) return undefined;
      await boss.cancel(QUEUE, jobId);
      return found.data;
    },
    async work(run) {
      await boss.work<QueuedIngest>(QUEUE, { pollingIntervalSeconds: 1, batchSize: 1 }, async ([job]) => {
        if (job) await run(job.data);
      });
    },
    async close() {
      await boss.stop({ graceful: true, wait: true, timeout: 5000 });
    },
  };
}
