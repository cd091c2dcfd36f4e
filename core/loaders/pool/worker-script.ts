import type { Worker, WorkerOptions } from 'node:worker_threads';
import { startWorkerModule } from '../../worker-module.js';

/** Starts the parse worker, compiled (`parse-worker` entry of the build) or from its TypeScript source. */
export function startParseWorker(options: WorkerOptions): Worker {
  return startWorkerModule(
    {
      base: import.meta.url,
      compiled: ['./worker-entry.js', './parse-worker.js', '../parse-worker.js'],
      source: './worker-entry.ts',
      entry: 'parse-worker',
    },
    options,
  );
}
