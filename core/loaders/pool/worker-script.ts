import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts the parse worker whether this code runs as compiled JavaScript (plain node) or as
 * TypeScript source (tsx at `npm start`, vitest in tests). A TypeScript entry gets tsx's module hooks
 * registered inside the worker before it is imported: Node 20 does not apply `--import` hooks to a
 * worker's own entry module, so a small evaluated bootstrap does it.
 */
export function startParseWorker(options: WorkerOptions): Worker {
  const compiled = new URL('./worker-entry.js', import.meta.url);
  if (existsSync(fileURLToPath(compiled))) return new Worker(compiled, options);
  const source = new URL('./worker-entry.ts', import.meta.url).href;
  const require = createRequire(import.meta.url);
  const tsxApi = new URL('dist/esm/api/index.mjs', pathToFileURL(require.resolve('tsx/package.json'))).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); });`;
  return new Worker(bootstrap, { ...options, eval: true });
}
