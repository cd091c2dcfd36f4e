import type { Worker } from 'node:worker_threads';
import type { LoadedDoc, SourceFile } from '../../documents.js';
import type { TeamKbError } from '../../errors.js';
import type { SplitOptions, TextChunk } from '../../text/splitter.js';
import { fileError } from '../failures.js';
import type { OcrResolution } from '../ocr.js';
import { type FromWorker, fromWire, type ToWorker, type WorkerSetup } from './protocol.js';
import { startParseWorker } from './worker-script.js';

export interface ParseWorkerLimits {
  /** Wall-clock time one file may take, OCR waits excluded. */
  timeoutMs: number;
  /** V8 heap the worker may use. */
  heapMb: number;
}

/**
 * One worker thread that parses one file at a time. Any limit breach, crash or cancellation ends
 * the thread (a parser stuck in a loop cannot be interrupted any other way); the pool then starts a
 * fresh one. `dead` tells the pool not to hand this one more work.
 */
export class ParseWorker {
  dead = false;
  /** Settles when the thread has ended, however it ended. */
  readonly exited: Promise<void>;
  private readonly worker: Worker;
  private current?: (outcome: { result?: LoadedDoc | TextChunk[]; error?: TeamKbError }) => void;
  private currentFile?: SourceFile;

  constructor(
    setup: WorkerSetup,
    private readonly limits: ParseWorkerLimits,
    private readonly ocr: () => Promise<OcrResolution>,
  ) {
    this.worker = startParseWorker({
      workerData: setup,
      resourceLimits: { maxOldGenerationSizeMb: limits.heapMb, maxYoungGenerationSizeMb: Math.min(64, limits.heapMb / 4) },
      stdout: false,
      stderr: false,
    });
    this.worker.unref();
    this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()));
  }

  /** Parses one file (and splits it when `split` is given); rejects with a file error naming the limit it broke. */
  run(file: SourceFile, signal: AbortSignal | undefined, split: SplitOptions): Promise<TextChunk[]>;
  run(file: SourceFile, signal?: AbortSignal): Promise<LoadedDoc>;
  run(file: SourceFile, signal?: AbortSignal, split?: SplitOptions): Promise<LoadedDoc | TextChunk[]> {
    return new Promise<LoadedDoc | TextChunk[]>((resolve, reject) => {
      const seconds = Math.round(this.limits.timeoutMs / 1000);
      let remaining = this.limits.timeoutMs;
      let startedAt = Date.now();
      let timer: NodeJS.Timeout | undefined;
      let ocrWaits = 0;
      const startClock = () => {
        startedAt = Date.now();
        timer = setTimeout(
          () =>
            this.kill(fileError('PARSE_TIMEOUT', file, `took longer than ${seconds} s to parse (kb.limits.parseTimeoutSeconds)`)),
          remaining,
        );
      };
      const stopClock = () => {
        clearTimeout(timer);
        remaining -= Date.now() - startedAt;
      };
      const onAbort = () => this.kill(fileError('CANCELLED', file, 'loading was cancelled'));

      this.currentFile = file;
      this.current = (outcome) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.current = undefined;
        this.worker.unref();
        if (outcome.result) resolve(outcome.result);
        else reject(outcome.error);
      };
      this.onMessage = (message) => {
        if (message.type === 'ocr-started' && ocrWaits++ === 0) stopClock();
        else if (message.type === 'ocr-finished' && --ocrWaits === 0) startClock();
      };
      this.onCrash = (err) => {
        const outOfMemory = (err as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY';
        return outOfMemory
          ? fileError('FILE_TOO_LARGE', file, `needed more than ${this.limits.heapMb} MB to parse (kb.limits.parseHeapMb)`)
          : fileError('FILE_CORRUPT', file, `the parser stopped unexpectedly (${(err as Error).message ?? err})`);
      };

      if (this.dead) return reject(fileError('FILE_CORRUPT', file, 'the parse worker had stopped; try again'));
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.worker.ref();
      // The clock starts once the worker has loaded its parsers: start-up is not the file's time.
      void this.ready.then(() => {
        if (this.current && !this.dead) {
          startClock();
          this.post({ type: 'load', file, split });
        }
      });
    });
  }

  private markReady: () => void = () => undefined;
  private readonly ready = new Promise<void>((resolve) => {
    this.markReady = resolve;
  });
  private onMessage: (message: FromWorker) => void = () => undefined;
  private onCrash: (err: unknown) => TeamKbError = (err) => err as TeamKbError;

  listen(): this {
    this.worker.on('message', (message: FromWorker) => {
      if (message.type === 'ready') this.markReady();
      else if (message.type === 'loaded') this.current?.({ result: message.doc });
      else if (message.type === 'split') this.current?.({ result: message.chunks });
      else if (message.type === 'failed') this.current?.({ error: fromWire(message.error) });
      else if (message.type === 'call') void this.answer(message);
      else this.onMessage(message);
    });
    this.worker.on('error', (err) => this.kill(this.onCrash(err)));
    this.worker.on('exit', () => this.kill(this.onCrash(new Error('the parse worker exited'))));
    return this;
  }

  /** Ends the thread, failing the file in progress (if any) with `error` (by default: cancelled). */
  kill(error?: TeamKbError): void {
    const wasDead = this.dead;
    this.dead = true;
    const file = this.currentFile;
    if (file) this.current?.({ error: error ?? fileError('CANCELLED', file, 'loading was cancelled') });
    if (!wasDead) void this.worker.terminate();
  }

  private post(message: ToWorker): void {
    this.worker.postMessage(message);
  }

  private async answer(message: Extract<FromWorker, { type: 'call' }>): Promise<void> {
    try {
      const resolution = await this.ocr();
      if (message.method === 'ocr-engine') {
        this.post({ type: 'reply', id: message.id, value: { name: resolution.engine?.name, reason: resolution.reason } });
        return;
      }
      if (!resolution.engine) throw new Error(resolution.reason);
      const image = Buffer.from(message.image.buffer, message.image.byteOffset, message.image.byteLength);
      this.post({ type: 'reply', id: message.id, value: await resolution.engine.recognize(image) });
    } catch (err) {
      if (!this.dead) this.post({ type: 'reply', id: message.id, error: err instanceof Error ? err.message : String(err) });
    }
  }
}
