// One TeamKB process of a multi-replica deployment, for the scale-out test. argv[2] is the
// environment (JSON) the configuration is read from; argv[3] is `app` (startApp, as `npm start`
// runs it with TEAMKB_ROLE) or `stall` (a queue worker that takes one job, marks it running and
// never finishes it: the worker the test kills mid-job). Prints `ready <url>` and `took <job id>`.
import { join } from 'node:path';
import { openCore } from '../../../bots/app-services.js';
import { runIngestWorker } from '../../../bots/ingest-worker.js';
import { startApp } from '../../../bots/start.js';
import { claimEmbeddedStoreWriter } from '../../../bots/wiring/replica-guard.js';
import { loadConfig } from '../../../core/config/load.js';
import { ROOT } from '../../helpers/shared.js';

const env = JSON.parse(process.argv[2] as string) as Record<string, string>;
const config = loadConfig({ configDir: join(ROOT, 'configs'), env });

if (process.argv[3] === 'stall') {
  const core = await openCore(config);
  claimEmbeddedStoreWriter(core.db, core.store.id);
  core.kb.runQueued = async (job) => {
    core.registry.updateJob(job.jobId, { status: 'running' });
    process.stdout.write(`took ${job.jobId}\n`);
    await new Promise(() => undefined);
  };
  await runIngestWorker(core);
  process.stdout.write('ready -\n');
} else {
  const app = await startApp(config);
  process.stdout.write(`ready ${app.url || '-'}\n`);
}
