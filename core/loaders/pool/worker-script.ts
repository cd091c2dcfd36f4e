import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Where the compiled worker may sit relative to this module: beside it (per-file compilation), or
 * as the `parse-worker` entry of a bundle, next to the bundle's entry or one level up from a chunk.
 */
const COMPILED = ['./worker-entry.js', './parse-worker.js', '../parse-worker.js'];

/**
 * Starts the parse worker whether this code runs as compiled JavaScript (plain node) or as
 * TypeScript source (tsx at `npm start`, vitest in tests). A TypeScript entry gets tsx's module hooks
 * registered inside the worker before it is imported: Node 20 does not apply `--import` hooks to a
 * worker's own entry module, so a small evaluated bootstrap does it.
 */
export function startParseWorker(options: WorkerOptions): Worker {
  for (const candidate of COMPILED) {
    const url = new URL(candidate, import.meta.url);
    if (existsSync(fileURLToPath(url))) return new Worker(url, options);
  }
  const source = new URL('./worker-entry.ts', import.meta.url);
  if (!existsSync(fileURLToPath(source))) {
    throw new Error(`the parse worker is missing: build it as "parse-worker" next to ${fileURLToPath(import.meta.url)}`);
  }
  const require = createRequire(import.meta.url);
  const tsxApi = new URL('dist/esm/api/index.mjs', pathToFileURL(require.resolve('tsx/package.json'))).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(source.href)}); });`;
  return new Worker(bootstrap, { ...options, eval: true });
}
