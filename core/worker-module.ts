import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

export interface WorkerModule {
  /** `import.meta.url` of the module starting the worker; the paths below are relative to it. */
  base: string;
  /**
   * Where the compiled worker may sit: beside the caller (per-file compilation), or as its own
   * entry of a bundle, next to the bundle's entry or one level up from a chunk.
   */
  compiled: string[];
  /** The TypeScript source of the worker's entry. */
  source: string;
  /** The bundle entry name, for the error when neither is there. */
  entry: string;
}

/**
 * Starts a worker thread whether this code runs as compiled JavaScript (plain node) or as
 * TypeScript source (tsx, vitest). A TypeScript entry gets tsx's module hooks registered inside the
 * worker before it is imported: Node 20 does not apply `--import` hooks to a worker's own entry
 * module, so a small evaluated bootstrap does it.
 */
export function startWorkerModule(module: WorkerModule, options: WorkerOptions): Worker {
  for (const candidate of module.compiled) {
    const url = new URL(candidate, module.base);
    if (existsSync(fileURLToPath(url))) return new Worker(url, options);
  }
  const source = new URL(module.source, module.base);
  if (!existsSync(fileURLToPath(source))) {
    throw new Error(`a worker is missing: build it as "${module.entry}" next to ${fileURLToPath(module.base)}`);
  }
  const require = createRequire(module.base);
  const tsxApi = new URL('dist/esm/api/index.mjs', pathToFileURL(require.resolve('tsx/package.json'))).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(source.href)}); });`;
  return new Worker(bootstrap, { ...options, eval: true });
}
