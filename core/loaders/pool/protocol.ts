import type { LoadedDoc, SourceFile } from '../../documents.js';
import { type ErrorCode, TeamKbError } from '../../errors.js';
import type { SplitOptions, TextChunk } from '../../text/splitter.js';
import type { LoaderOptions } from '../index.js';

/** What a parse worker is started with. */
export interface WorkerSetup {
  options: LoaderOptions;
}

/** Main thread → worker. */
export type ToWorker =
  | { type: 'load'; file: SourceFile; split?: SplitOptions }
  | { type: 'reply'; id: number; value?: unknown; error?: string };

/** Worker → main thread. `call` asks the main thread for a service the worker must not own (OCR). */
export type FromWorker =
  | { type: 'ready' }
  | { type: 'loaded'; doc: LoadedDoc }
  | { type: 'split'; chunks: TextChunk[] }
  | { type: 'failed'; error: WireError }
  | { type: 'call'; id: number; method: 'ocr-engine' }
  | { type: 'call'; id: number; method: 'ocr'; image: Uint8Array }
  | { type: 'ocr-started' }
  | { type: 'ocr-finished' };

export interface WireError {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

export function toWire(err: unknown): WireError {
  if (err instanceof TeamKbError) return { code: err.code, message: err.message, details: err.details };
  return { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) };
}

export function fromWire(wire: WireError): TeamKbError {
  return new TeamKbError(wire.code, wire.message, { details: wire.details });
}
