import type { LoadedDoc, SourceFile } from '../../documents.js';
import type { Loader } from '../../loader.js';
import type { SplitOptions, TextChunk } from '../../text/splitter.js';
import { createLoaders, type LoaderOptions, type LoaderSet } from '../index.js';
import { DEFAULT_OCR_LANGUAGES, getOcrEngine } from '../ocr.js';
import { ParseWorker } from './parse-worker.js';

export interface LoaderPoolOptions extends LoaderOptions {
  /** Worker threads parsing at the same time (default 2). */
  workers?: number;
  /** Wall-clock limit per file in milliseconds, time waiting for OCR excluded (default 60 s). */
  timeoutMs?: number;
  /** Heap limit of each worker in MB (default 512). */
  heapMb?: number;
  /** Idle workers end after this long without a file, giving their memory back; the next file starts one (default 10 s). */
  idleMs?: number;
}

export interface LoaderPool extends LoaderSet {
  /** Loads and splits a file inside a worker, so neither step runs on the caller's thread. */
  loadChunks(file: SourceFile, split: SplitOptions, signal?: AbortSignal): Promise<TextChunk[]>;
  /** Worker threads running now, idle or busy (none once the pool has been idle for `idleMs`). */
  threads(): number;
  /** Ends every worker; files in progress fail as cancelled. */
  close(): Promise<void>;
}

export const DEFAULT_POOL = { workers: 2, timeoutMs: 60_000, heapMb: 512, idleMs: 10_000 };

/**
 * The loaders behind a pool of worker threads, so parsing never runs on the caller's event loop. A
 * file that breaks the time or memory limit, crashes its parser or is cancelled fails alone, and its
 * worker is replaced by a fresh one on the next file. Files wait in order for a free worker. Workers
 * start on the first file and end once the pool has idled for `idleMs`: a server that is not
 * ingesting holds no parser threads (each is a V8 isolate with its parsers loaded).
 */
export function createLoaderPool(options: LoaderPoolOptions = {}): LoaderPool {
  const {
    workers: size = DEFAULT_POOL.workers,
    timeoutMs = DEFAULT_POOL.timeoutMs,
    heapMb = DEFAULT_POOL.heapMb,
    idleMs = DEFAULT_POOL.idleMs,
    ...loaderOptions
  } = options;
  const inProcess = createLoaders(loaderOptions); // the extension table only; nothing is parsed here
  const ocr = () => getOcrEngine(loaderOptions.ocrEngine ?? 'auto', loaderOptions.ocrLanguages ?? DEFAULT_OCR_LANGUAGES);
  const idle: ParseWorker[] = [];
  const busy = new Set<ParseWorker>();
  const waiting: Array<(worker: ParseWorker) => void> = [];
  const running = new Set<ParseWorker>();
  let closed = false;
  let idleTimer: NodeJS.Timeout | undefined;

  const spawn = () => {
    const worker = new ParseWorker({ options: loaderOptions }, { timeoutMs, heapMb }, ocr).listen();
    running.add(worker);
    void worker.exited.then(() => running.delete(worker));
    return worker;
  };

  const endIdleWorkers = () => {
    idleTimer = undefined;
    for (const worker of idle.splice(0)) worker.kill();
  };

  const acquire = (): Promise<ParseWorker> => {
    clearTimeout(idleTimer);
    let worker = idle.pop();
    while (worker?.dead) worker = idle.pop();
    if (!worker && busy.size < size) worker = spawn();
    if (worker) {
      busy.add(worker);
      return Promise.resolve(worker);
    }
    return new Promise((resolve) => waiting.push(resolve));
  };

  const release = (worker: ParseWorker) => {
    busy.delete(worker);
    const next = waiting.shift();
    if (!next) {
      if (!worker.dead && !closed) idle.push(worker);
      if (busy.size === 0 && !closed) {
        clearTimeout(idleTimer);
        idleTimer = setTimeout(endIdleWorkers, idleMs).unref();
      }
      return;
    }
    const handed = worker.dead || closed ? spawn() : worker;
    busy.add(handed);
    next(handed);
  };

  const withWorker = async <T>(work: (worker: ParseWorker) => Promise<T>): Promise<T> => {
    const worker = await acquire();
    try {
      return await work(worker);
    } finally {
      release(worker);
    }
  };
  const run = (file: SourceFile, signal?: AbortSignal): Promise<LoadedDoc> => withWorker((worker) => worker.run(file, signal));

  const proxies = new Map<Loader, Loader>();
  return {
    supportedExtensions: inProcess.supportedExtensions,
    loaderFor(ext) {
      const loader = inProcess.loaderFor(ext);
      if (!loader) return undefined;
      let proxy = proxies.get(loader);
      if (!proxy) {
        proxy = { extensions: loader.extensions, load: (file, signal) => run(file, signal) };
        proxies.set(loader, proxy);
      }
      return proxy;
    },
    load: run,
    loadChunks: (file, split, signal) => withWorker((worker) => worker.run(file, signal, split)),
    threads: () => running.size,
    async close() {
      closed = true;
      clearTimeout(idleTimer);
      for (const worker of [...idle, ...busy]) worker.kill();
      idle.length = 0;
    },
  };
}
