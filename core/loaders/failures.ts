import { type ErrorCode, TeamKbError } from '../errors.js';

interface Named {
  name: string;
}

/** A TeamKbError whose one-line message starts with the file name. */
export function fileError(code: ErrorCode, file: Named, reason: string, cause?: unknown): TeamKbError {
  return new TeamKbError(code, `${file.name}: ${reason}`, { cause, details: { file: file.name } });
}

export function throwIfAborted(signal: AbortSignal | undefined, file: Named): void {
  if (signal?.aborted) throw fileError('CANCELLED', file, 'loading was cancelled');
}

/** Settles with `work`, or rejects as soon as `signal` aborts (some parsers never settle once aborted). */
export function raceAbort<T>(work: Promise<T>, signal: AbortSignal | undefined, file: Named): Promise<T> {
  if (!signal) return work;
  throwIfAborted(signal, file);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(fileError('CANCELLED', file, 'loading was cancelled'));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

/** First line of whatever a third-party parser threw, for use inside our own message. */
export function causeLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const line = message.split('\n')[0]?.trim() ?? '';
  return line.length > 200 ? `${line.slice(0, 197)}...` : line || 'unknown error';
}

/** Parser errors that mean "needs a password", whatever library threw them. */
export function looksEncrypted(err: unknown): boolean {
  const text = `${(err as { name?: string })?.name ?? ''} ${(err as { code?: string })?.code ?? ''} ${causeLine(err)}`;
  return /password|encrypt|decrypt/i.test(text);
}
