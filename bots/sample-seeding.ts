import type { TeamKbConfig } from '../core/config/schema.js';
import { describeError } from '../core/errors.js';
import { forkModule } from '../core/worker-module.js';
import type { CoreServices } from './core-services.js';
import type { JobTracker } from './jobs.js';
import type { SeedReport } from './sample-seed-entry.js';
import { createSampleKb, ingestSamples, sampleUploads } from './samples.js';
import type { StoreHold } from './wiring/store.js';

/** The first start's sample ingest while it runs; `stop` ends it (the next start repairs the job). */
export interface SampleSeeding {
  /** Settles when the ingest has ended, whatever its outcome (it is logged). */
  done: Promise<void>;
  stop(): Promise<void>;
}

/** How long a stopping server waits for the ingest process to go. */
const STOP_WAIT_MS = 3000;

/**
 * First start: a small knowledge base (TeamKB's own guide) so there is something to ask at once.
 * The server is already answering while it is ingested. On SQLite the ingest runs in a child process
 * so that an idle server never carries what ingesting loads (the store's native module, the Chinese
 * dictionary, parser threads); the store is held meanwhile, as it takes one writer. With PostgreSQL
 * the uploads go onto the shared ingest queue as any upload does, and a worker runs them.
 */
export async function seedSampleKb(core: CoreServices, jobs: JobTracker, hold: StoreHold): Promise<SampleSeeding | undefined> {
  if (sampleUploads().length === 0) return undefined;
  if (!core.queue) {
    try {
      return inChildProcess(core, hold);
    } catch (err) {
      // A build without the ingest entry: ingest here as the queue path does.
      core.logger.warn(`sample KB: ingesting in the server (${describeError(err)})`);
    }
  }
  try {
    await createSampleKb(core.kb);
    const done = jobs
      .start((hooks) => ingestSamples(core.kb, hooks))
      .then(() => undefined)
      .catch((err) => core.logger.warn(`sample KB: ${describeError(err)}`));
    return { done, stop: async () => undefined };
  } catch (err) {
    core.logger.warn(`sample KB: ${describeError(err)}`);
    return undefined;
  }
}

function inChildProcess(core: CoreServices, hold: StoreHold): SampleSeeding {
  const child = forkModule(
    {
      base: import.meta.url,
      compiled: ['./sample-seed-entry.js', './sample-seed.js', '../sample-seed.js'],
      source: './sample-seed-entry.ts',
      entry: 'sample-seed',
    },
    { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  const { logger } = core;
  let stopping = false;
  const done = new Promise<void>((resolve) => {
    let reported = false;
    child.on('message', (message: SeedReport) => {
      if (message.type === 'failed') logger.warn(`sample KB: ${message.message}`);
      if (message.type === 'done') {
        const { ingested, failed, chunks, seconds } = message.summary;
        logger.info(`sample KB: ${ingested.length} file(s), ${chunks} chunks in ${seconds.toFixed(1)} s`);
        for (const failure of failed) logger.warn(`sample KB: ${failure.file}: ${failure.reason}`);
      }
      reported ||= message.type !== 'job';
    });
    child.once('exit', (code, signal) => {
      if (!reported && !stopping) logger.warn(`sample KB: the ingest process ended early (${signal ?? `exit code ${code}`})`);
      resolve();
    });
    child.once('error', (err) => {
      logger.warn(`sample KB: ${describeError(err)}`);
      resolve();
    });
  });
  hold.hold(done);
  child.send(configForChild(core.config));
  return {
    done,
    async stop() {
      stopping = true;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await Promise.race([done, new Promise((r) => setTimeout(r, STOP_WAIT_MS).unref())]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

/** The configuration as the child receives it: plain data, secrets included (over the IPC pipe, never argv or env). */
function configForChild(config: TeamKbConfig): TeamKbConfig {
  return JSON.parse(JSON.stringify(config)) as TeamKbConfig;
}
