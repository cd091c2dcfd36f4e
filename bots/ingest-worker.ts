import type { TeamKbConfig } from '../core/config/schema.js';
import { describeError } from '../core/errors.js';
import { openCore } from './app-services.js';
import type { CoreServices } from './core-services.js';
import type { RunningApp } from './start.js';
import { claimEmbeddedStoreWriter } from './wiring/replica-guard.js';

/** Takes jobs from the durable ingest queue and runs them here, until the core closes. */
export async function runIngestWorker(core: CoreServices): Promise<void> {
  const { queue, logger } = core;
  if (!queue) return;
  await queue.work(async (job) => {
    logger.info(`ingest job ${job.jobId}: ${job.files.length} file(s) into "${job.kb}"`);
    try {
      await core.kb.runQueued(job);
    } catch (err) {
      logger.warn(`ingest job ${job.jobId} failed; the queue retries it: ${describeError(err)}`);
      throw err;
    }
  });
}

/**
 * TEAMKB_ROLE=worker: no HTTP surfaces and no platform connections, only the ingest queue. Web
 * replicas accept uploads onto the shared data folder; this process runs them.
 */
export async function startWorker(config: TeamKbConfig): Promise<RunningApp> {
  const core = await openCore(config);
  try {
    claimEmbeddedStoreWriter(core.db, core.store.id);
    await runIngestWorker(core);
  } catch (err) {
    await core.close();
    throw err;
  }
  console.log(
    `\nTeamKB ingest worker is running\n  Store              ${core.store.id} in ${core.dataDir}\n  KB source files    ${core.filesDir}\n`,
  );
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await core.close();
  };
  return { url: '', logger: core.logger, platforms: [], problems: [], searchEngines: [], stop };
}
