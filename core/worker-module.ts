import { type ChildProcess, type ForkOptions, fork } from 'node:child_process';
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
  const { url, typescript } = locateModule(module);
  if (!typescript) return new Worker(url, options);
  const bootstrap = `import(${JSON.stringify(tsxFile(module.base, 'dist/esm/api/index.mjs'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(bootstrap, { ...options, eval: true });
}

/**
 * Starts a module as a child process, compiled or from its TypeScript source (through tsx's loader).
 * The parent's node flags are not passed on: they may name preloads meant for the parent alone.
 */
export function forkModule(module: WorkerModule, options: Omit<ForkOptions, 'execArgv'> = {}): ChildProcess {
  const { url, typescript } = locateModule(module);
  const execArgv = typescript ? ['--import', tsxFile(module.base, 'dist/loader.mjs')] : [];
  return fork(fileURLToPath(url), [], { ...options, execArgv });
}

function locateModule(module: WorkerModule): { url: URL; typescript: boolean } {
  for (const candidate of module.compiled) {
    const url = new URL(candidate, module.base);
    if (existsSync(fileURLToPath(url))) return { url, typescript: false };
  }
  const source = new URL(module.source, module.base);
  if (!existsSync(fileURLToPath(source))) {
    throw new Error(`a worker is missing: build it as "${module.entry}" next to ${fileURLToPath(module.base)}`);
  }
  return { url: source, typescript: true };
}

/** A file of the installed tsx package, as a URL. */
function tsxFile(base: string, path: string): string {
  const require = createRequire(base);
  return new URL(path, pathToFileURL(require.resolve('tsx/package.json'))).href;
}
