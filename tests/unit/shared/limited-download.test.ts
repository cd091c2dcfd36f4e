import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readWithinLimit } from '../../../adapters/shared/limited-download.js';

const tooLarge = (seen: number) => new Error(`over the limit at ${seen} bytes`);

function webStream(chunks: string[]): { body: ReadableStream<Uint8Array>; cancelled: () => boolean } {
  let cancelled = false;
  let i = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = chunks[i++];
      if (next === undefined) controller.close();
      else controller.enqueue(new TextEncoder().encode(next));
    },
    cancel() {
      cancelled = true;
    },
  });
  return { body, cancelled: () => cancelled };
}

describe('readWithinLimit', () => {
  it('joins a fetch body that stays within the limit', async () => {
    const { body, cancelled } = webStream(['hello ', 'world']);
    expect((await readWithinLimit(body, 11, tooLarge)).toString()).toBe('hello world');
    expect(cancelled()).toBe(false);
  });

  it('stops a fetch body at the first chunk past the limit and cancels the download', async () => {
    const { body, cancelled } = webStream(['12345', '67890', 'never read']);
    await expect(readWithinLimit(body, 8, tooLarge)).rejects.toThrow('over the limit at 10 bytes');
    expect(cancelled()).toBe(true);
  });

  it('reads a Node stream and destroys it when it runs past the limit', async () => {
    const small = Readable.from([Buffer.from('ab'), Buffer.from('cd')]);
    expect((await readWithinLimit(small, 4, tooLarge)).toString()).toBe('abcd');

    const large = Readable.from([Buffer.from('abc'), Buffer.from('def'), Buffer.from('ghi')]);
    await expect(readWithinLimit(large, 5, tooLarge)).rejects.toThrow('over the limit at 6 bytes');
    expect(large.destroyed).toBe(true);
  });

  it('passes on a stream failure unchanged', async () => {
    const failing = new Readable({
      read() {
        this.destroy(new Error('connection reset'));
      },
    });
    await expect(readWithinLimit(failing, 100, tooLarge)).rejects.toThrow('connection reset');
  });
});
