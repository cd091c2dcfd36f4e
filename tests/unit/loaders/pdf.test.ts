import { beforeAll, describe, expect, it } from 'vitest';
import { createLoaders } from '../../../core/loaders/index.js';
import { getOcrEngine } from '../../../core/loaders/ocr.js';
import { makePdf, makeTextPng } from './make-files.js';

let scan: Buffer;

beforeAll(async () => {
  scan = await makeTextPng('Scanned contract page');
});

const load = (bytes: Buffer, options: Parameters<typeof createLoaders>[0] = {}, signal?: AbortSignal) =>
  createLoaders(options).load({ name: 'report.pdf', extension: 'pdf', bytes }, signal);

describe('pdf loader', () => {
  it('one block per page with its page number; Chinese and English; blank pages skipped', async () => {
    const pdf = await makePdf([
      ['年度报告 Annual report', '收入增长百分之二十。Revenue grew 20%.'],
      [],
      ['第三页 Page three', '结论 Conclusion'],
    ]);
    const loaded = await load(pdf, { ocrEngine: 'none' });
    expect(loaded.source).toBe('report.pdf');
    expect(loaded.warnings).toEqual([]);
    expect(loaded.blocks).toEqual([
      { text: '年度报告 Annual report\n收入增长百分之二十。Revenue grew 20%.', kind: 'prose', meta: { page: 1 } },
      { text: '第三页 Page three\n结论 Conclusion', kind: 'prose', meta: { page: 3 } },
    ]);
  });

  it('reads a scanned (image-only) page with OCR', async () => {
    const resolution = await getOcrEngine('auto');
    if (!resolution.engine) {
      console.warn(`[notice] skipping scanned-PDF OCR test: ${resolution.reason}`);
      return;
    }
    const loaded = await load(await makePdf([['Cover page 封面'], scan]));
    expect(loaded.blocks.map((block) => block.meta.page)).toEqual([1, 2]);
    expect(loaded.blocks[1]!.text).toContain('Scanned contract page');
    expect(loaded.blocks[1]!.text).toContain('中工王田');
  });

  it('without OCR a scanned page becomes a warning and the other pages still load', async () => {
    const loaded = await load(await makePdf([['Cover page 封面'], scan, scan]), { ocrEngine: 'none' });
    expect(loaded.blocks).toEqual([{ text: 'Cover page 封面', kind: 'prose', meta: { page: 1 } }]);
    expect(loaded.warnings).toEqual(['pages 2, 3 look scanned and were not read: OCR is turned off']);
  });

  it('without OCR a fully scanned PDF fails with OCR_UNAVAILABLE', async () => {
    const error = await load(await makePdf([scan]), { ocrEngine: 'none' }).catch((err: unknown) => err);
    expect(error).toMatchObject({ code: 'OCR_UNAVAILABLE' });
    expect((error as Error).message).toMatch(/^report\.pdf: the PDF is scanned/);
  });

  it('stops between pages when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(load(await makePdf([['a'], ['b']]), { ocrEngine: 'none' }, controller.signal)).rejects.toMatchObject({
      code: 'CANCELLED',
    });
  });
});
