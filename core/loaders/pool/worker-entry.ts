import { parentPort, workerData } from 'node:worker_threads';
import { splitDocument } from '../../text/splitter.js';
import type { LoaderContext } from '../context.js';
import { contextFor, createLoaderSet } from '../index.js';
import type { OcrResolution } from '../ocr.js';
import { type FromWorker, type ToWorker, toWire, type WorkerSetup } from './protocol.js';

/**
 * A parse worker: runs the format loaders on one file at a time for the main thread. OCR is asked
 * of the main thread, which keeps one engine and one queue for the whole process.
 */
const port = parentPort;
if (!port) throw new Error('the parse worker must run in a worker thread');
const setup = workerData as WorkerSetup;

let nextCall = 1;
const pending = new Map<number, { resolve: (value: unknown) => void; reject: (err: Error) => void }>();
const send = (message: FromWorker, transfer?: ArrayBuffer[]) => port.postMessage(message, transfer);

function call(message: { method: 'ocr-engine' } | { method: 'ocr'; image: Uint8Array }): Promise<unknown> {
  const id = nextCall++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    send({ type: 'call', id, ...message } as FromWorker);
  });
}

let ocrResolution: Promise<OcrResolution> | undefined;
const ocr = (): Promise<OcrResolution> => {
  ocrResolution ??= call({ method: 'ocr-engine' }).then((value) => {
    const answer = value as { name?: string; reason?: string };
    if (!answer.name) return { reason: answer.reason ?? 'OCR is unavailable' };
    return {
      engine: {
        name: answer.name,
        async recognize(image: Buffer) {
          send({ type: 'ocr-started' });
          try {
            return (await call({ method: 'ocr', image: new Uint8Array(image) })) as string;
          } finally {
            send({ type: 'ocr-finished' });
          }
        },
      },
    };
  });
  return ocrResolution;
};

const context: LoaderContext = { ...contextFor(setup.options), ocr };
const loaders = createLoaderSet(context);

port.on('message', (message: ToWorker) => {
  if (message.type === 'reply') {
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if (message.error !== undefined) waiter?.reject(new Error(message.error));
    else waiter?.resolve(message.value);
    return;
  }
  const raw = message.file.bytes;
  const file = { ...message.file, bytes: Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength) };
  const split = message.split;
  loaders.load(file).then(
    (doc) => send(split ? { type: 'split', chunks: splitDocument(doc, split) } : { type: 'loaded', doc }),
    (err: unknown) => send({ type: 'failed', error: toWire(err) }),
  );
});

send({ type: 'ready' });
