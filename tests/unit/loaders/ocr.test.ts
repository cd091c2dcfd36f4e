import { execFileSync } from 'node:child_process';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLoaders } from '../../../core/loaders/index.js';
import { getOcrEngine } from '../../../core/loaders/ocr.js';
import { makeTextPng, toBmp } from './make-files.js';

let png: Buffer;
let ocrWorks = false;

beforeAll(async () => {
  png = await makeTextPng('Quarterly revenue report');
  const resolution = await getOcrEngine('auto');
  ocrWorks = resolution.engine !== undefined;
  if (!ocrWorks) console.warn(`[notice] skipping OCR recognition tests: ${resolution.reason}`);
});

const hasTesseract = (() => {
  try {
    return execFileSync('tesseract', ['--list-langs'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).includes(
      'chi_sim',
    );
  } catch {
    return false;
  }
})();

describe('image loaders (OCR)', () => {
  it.each(['png', 'jpg', 'webp', 'bmp'])('%s: Chinese and English text is found', async (extension) => {
    if (!ocrWorks) return;
    const bytes =
      extension === 'png'
        ? png
        : extension === 'jpg'
          ? await sharp(png).jpeg({ quality: 90 }).toBuffer()
          : extension === 'webp'
            ? await sharp(png).webp({ quality: 90 }).toBuffer()
            : await toBmp(png);
    const loaded = await createLoaders().load({ name: `scan.${extension}`, extension, bytes });
    expect(loaded.blocks).toHaveLength(1);
    expect(loaded.blocks[0]!.text).toContain('Quarterly revenue report');
    expect(loaded.blocks[0]!.text).toContain('中工王田');
  });

  it.runIf(hasTesseract)('the tesseract CLI works as the fallback engine', async () => {
    const loaded = await createLoaders({ ocrEngine: 'tesseract' }).load({ name: 'scan.png', extension: 'png', bytes: png });
    expect(loaded.blocks[0]!.text).toContain('Quarterly revenue report');
    expect(loaded.blocks[0]!.text).toContain('中工王田');
  });

  it('without a working OCR engine an image fails with OCR_UNAVAILABLE, naming the file and the fix', async () => {
    const error = await createLoaders({ ocrEngine: 'none' })
      .load({ name: 'receipt.png', extension: 'png', bytes: png })
      .catch((err: unknown) => err);
    expect(error).toMatchObject({ code: 'OCR_UNAVAILABLE' });
    expect((error as Error).message).toMatch(/^receipt\.png: .*npm install.*tesseract-ocr-chi-sim/);
  });

  it('an image without text is FILE_EMPTY; an undecodable one FILE_CORRUPT', async () => {
    if (ocrWorks) {
      const blank = await sharp({ create: { width: 300, height: 120, channels: 3, background: '#ffffff' } })
        .png()
        .toBuffer();
      await expect(createLoaders().load({ name: 'blank.png', extension: 'png', bytes: blank })).rejects.toMatchObject({
        code: 'FILE_EMPTY',
      });
    }
    const broken = Buffer.concat([png.subarray(0, 64), Buffer.alloc(64, 7)]);
    await expect(
      createLoaders({ ocrEngine: 'none' }).load({ name: 'cut.png', extension: 'png', bytes: broken }),
    ).rejects.toMatchObject({
      code: 'FILE_CORRUPT',
    });
  });
});
