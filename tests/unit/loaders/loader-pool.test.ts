import { afterAll, describe, expect, it } from 'vitest';
import { getOcrEngine } from '../../../core/loaders/ocr.js';
import { createLoaderPool } from '../../../core/loaders/pool/loader-pool.js';
import { makeTextPng } from './make-files.js';

/** Structure limits raised so Readability and linkedom really meet the deep page (they slow down sharply on it). */
const pool = createLoaderPool({
  ocrEngine: 'none',
  workers: 1,
  timeoutMs: 2_000,
  heapMb: 48,
  maxHtmlDepth: 1_000_000,
  maxHtmlElements: 10_000_000,
});
afterAll(() => pool.close());

const deepPage = () => Buffer.from(`<html><body>${'<b>'.repeat(20_000)}deep${'</b>'.repeat(20_000)}</body></html>`);
/** Waits for a condition the pool reaches on its own (a generous deadline, no timing asserted). */
async function until(condition: () => boolean, deadlineMs = 30_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 20));
  }
}
const note = (text: string) => ({ name: 'note.txt', extension: 'txt', bytes: Buffer.from(text) });
/** Half a million small records: parsing and flattening them needs far more than 48 MB of heap. */
const hugeJson = () =>
  Buffer.from(
    JSON.stringify(Array.from({ length: 500_000 }, (_, i) => ({ id: i, name: `record number ${i}`, tags: ['a', 'b'] }))),
  );

describe('loader pool (worker threads with limits)', { timeout: 180_000 }, () => {
  it('parses off the calling thread: timers here keep firing while a slow file parses', async () => {
    await pool.load(note('warm-up'));
    const order: string[] = [];
    setTimeout(() => order.push('timer'), 100);
    await pool.load({ name: 'deep.html', extension: 'html', bytes: deepPage() }).catch(() => undefined);
    order.push('parsed');
    expect(order).toEqual(['timer', 'parsed']);
  });

  it('fails a file past the time limit alone, naming the limit, and replaces its worker', async () => {
    await expect(pool.load({ name: 'deep.html', extension: 'html', bytes: deepPage() })).rejects.toMatchObject({
      code: 'PARSE_TIMEOUT',
      message: 'deep.html: took longer than 2 s to parse (kb.limits.parseTimeoutSeconds)',
    });
    const next = await pool.load(note('the next file is read by a fresh worker'));
    expect(next.blocks[0]?.text).toBe('the next file is read by a fresh worker');
  });

  it('fails a file past the heap limit alone, naming the limit', async () => {
    const roomy = createLoaderPool({ ocrEngine: 'none', workers: 1, timeoutMs: 120_000, heapMb: 48 });
    await expect(roomy.load({ name: 'huge.json', extension: 'json', bytes: hugeJson() })).rejects.toMatchObject({
      code: 'FILE_TOO_LARGE',
      message: 'huge.json: needed more than 48 MB to parse (kb.limits.parseHeapMb)',
    });
    expect((await roomy.load(note('still working'))).blocks[0]?.text).toBe('still working');
    await roomy.close();
  });

  it('cancels a file in progress and keeps serving others', async () => {
    const controller = new AbortController();
    const loading = pool.load({ name: 'deep.html', extension: 'html', bytes: deepPage() }, controller.signal);
    setTimeout(() => controller.abort(), 300);
    await expect(loading).rejects.toMatchObject({ code: 'CANCELLED' });
    expect((await pool.load(note('after cancel'))).blocks[0]?.text).toBe('after cancel');
  });

  it('reads images in a worker with OCR served by the main thread', async () => {
    const ocr = await getOcrEngine('auto');
    if (!ocr.engine) {
      console.warn(`[notice] skipping pooled OCR: ${ocr.reason}`);
      return;
    }
    const withOcr = createLoaderPool({ workers: 1 });
    try {
      const bytes = await makeTextPng('Quarterly revenue report');
      const doc = await withOcr.load({ name: 'scan.png', extension: 'png', bytes });
      expect(doc.blocks[0]?.text).toContain('Quarterly revenue report');
    } finally {
      await withOcr.close();
    }
  });

  it('ends idle workers after the idle period and starts a fresh one for the next file', async () => {
    const brief = createLoaderPool({ ocrEngine: 'none', workers: 2, idleMs: 200 });
    try {
      expect(brief.threads()).toBe(0);
      await Promise.all([brief.load(note('one')), brief.load(note('two'))]);
      expect(brief.threads()).toBe(2);
      await until(() => brief.threads() === 0);
      expect((await brief.load(note('after idle'))).blocks[0]?.text).toBe('after idle');
      expect(brief.threads()).toBe(1);
    } finally {
      await brief.close();
    }
  });

  it('keeps the loader shape: extensions, per-extension loaders and typed file errors', async () => {
    expect(pool.supportedExtensions).toContain('pdf');
    expect(pool.loaderFor('.HTML')?.extensions).toContain('html');
    await expect(pool.load({ name: 'x.exe', extension: 'exe', bytes: Buffer.from('MZ') })).rejects.toMatchObject({
      code: 'FILE_UNSUPPORTED',
    });
  });
});
