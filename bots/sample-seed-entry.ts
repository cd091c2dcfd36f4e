import type { TeamKbConfig } from '../core/config/schema.js';
import { describeError } from '../core/errors.js';
import type { IngestSummary } from '../core/kb-service.js';
import { openCore } from './app-services.js';
import { createSampleKb, ingestSamples } from './samples.js';

/**
 * The first start's sample ingest, in a process of its own: the store's native module, the Chinese
 * dictionary and the embedding model it loads leave with it, instead of staying in an idle server.
 * The server sends its configuration over the IPC channel; this process reports back and exits.
 * The job is recorded in the shared registry, where the server's job list and `/kb status` read it.
 */
export type SeedReport =
  | { type: 'job'; jobId: string }
  | { type: 'done'; summary: IngestSummary }
  | { type: 'failed'; message: string };

const report = (message: SeedReport) =>
  new Promise<void>((resolve) => {
    if (!process.send) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });

// The server stopped or died: nothing waits for this ingest any more, and a later start repairs it.
process.once('disconnect', () => process.exit(1));

process.once('message', async (config: TeamKbConfig) => {
  let code = 0;
  try {
    // Warnings only: the server logs the outcome and has already said what it loaded.
    const core = await openCore(config, { quiet: true });
    try {
      await createSampleKb(core.kb);
      const summary = await ingestSamples(core.kb, { onJob: (jobId) => void report({ type: 'job', jobId }) });
      await report({ type: 'done', summary });
    } finally {
      await core.close();
    }
  } catch (err) {
    code = 1;
    await report({ type: 'failed', message: describeError(err) });
  }
  process.exit(code);
});
