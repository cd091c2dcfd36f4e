import type { AnswerPart } from '../answer.js';
import { describeError, TeamKbError } from '../errors.js';

/** A push-based async iterable: producers push, one consumer iterates. */
export interface Channel<T> extends AsyncIterable<T> {
  push(value: T): void;
  close(error?: unknown): void;
}

export function createChannel<T>(): Channel<T> {
  const buffer: T[] = [];
  let closed = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  return {
    push(value) {
      if (closed) return;
      buffer.push(value);
      notify();
    },
    close(error) {
      if (closed) return;
      closed = true;
      failure = error;
      notify();
    },
    async *[Symbol.asyncIterator]() {
      for (;;) {
        if (buffer.length > 0) {
          yield buffer.shift() as T;
          continue;
        }
        if (closed) {
          if (failure !== undefined) throw failure;
          return;
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
    },
  };
}

/**
 * Answer parts as a stream: `produce` pushes them; a failure becomes a final error part in words
 * (never a thrown stream), and the stream always ends.
 */
export function streamAnswerParts(produce: (push: (part: AnswerPart) => void) => Promise<void>): AsyncIterable<AnswerPart> {
  const channel = createChannel<AnswerPart>();
  produce((part) => channel.push(part))
    .catch((err) => {
      const code = err instanceof TeamKbError ? err.code : 'INTERNAL';
      channel.push({ type: 'error', code, message: describeError(err) });
    })
    .finally(() => channel.close());
  return channel;
}
