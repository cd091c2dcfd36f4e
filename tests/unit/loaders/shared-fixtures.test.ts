import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LoadedDoc } from '../../../core/documents.js';
import { createLoaders } from '../../../core/loaders/index.js';
import { getOcrEngine } from '../../../core/loaders/ocr.js';
import { sharedFixture } from '../../helpers/shared.js';
import { textRecall, textSimilarity } from './similarity.js';

const loaders = createLoaders();
const loadPath = (path: string) =>
  loaders.load({ name: basename(path), extension: extname(path).slice(1), bytes: readFileSync(path) });
const textOf = (doc: LoadedDoc) => doc.blocks.map((block) => block.text).join('\n');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

function checkBlocks(doc: LoadedDoc, name: string): void {
  expect(doc.source).toBe(name);
  expect(doc.blocks.length).toBeGreaterThan(0);
  for (const block of doc.blocks) {
    expect(block.text.length).toBeGreaterThan(0);
    expect(block.text).toBe(block.text.trim());
  }
}

const officeParser = sharedFixture('docs/officeparser', 'officeParser reference documents');

describe.runIf(officeParser)('officeParser reference documents', () => {
  // The describe body runs even when skipped, so only read the folder when it exists.
  const dir = officeParser ?? '';
  const documents = officeParser ? readdirSync(dir).filter((name) => name.startsWith('test.')) : [];

  it.each(documents)('%s matches the reference text (similarity ≥ 0.9)', async (name) => {
    const doc = await loadPath(join(dir, name));
    checkBlocks(doc, name);
    const expected = readFileSync(join(dir, 'expected', `${name}.txt`), 'utf8');
    if (name.endsWith('.ods')) {
      // Table blocks prefix each cell with its column name, which the reference (officeParser's own, lossier
      // output) lacks; what matters is that the reference text is all there, in order.
      expect(textRecall(textOf(doc), expected)).toBeGreaterThanOrEqual(0.9);
    } else {
      expect(textSimilarity(textOf(doc), expected)).toBeGreaterThanOrEqual(0.9);
    }
  });

  it('refuses the archive with 10,006 entries (FILE_TOO_LARGE)', async () => {
    await expect(loadPath(join(dir, 'many_entries_archive.docx'))).rejects.toMatchObject({ code: 'FILE_TOO_LARGE' });
  });

  it('refuses the archive that inflates 1000:1 to 100 MB (FILE_CORRUPT, zip bomb), and any over a 50 MB limit', async () => {
    const path = join(dir, 'oversized_archive.docx');
    await expect(loadPath(path)).rejects.toMatchObject({ code: 'FILE_CORRUPT', message: expect.stringMatching(/zip bomb/) });
    const limited = createLoaders({ maxInflatedBytes: 50 * 1024 * 1024 });
    await expect(
      limited.load({ name: 'oversized_archive.docx', extension: 'docx', bytes: readFileSync(path) }),
    ).rejects.toMatchObject({
      code: 'FILE_TOO_LARGE',
    });
  });
});

const chatchat = sharedFixture('docs/chatchat-samples/content', 'Langchain-Chatchat sample knowledge base');

describe.runIf(chatchat)('Langchain-Chatchat sample knowledge base', () => {
  it.each(chatchat ? filesUnder(chatchat) : [])('%s loads', async (path) => {
    const doc = await loadPath(path);
    checkBlocks(doc, basename(path));
    expect(doc.warnings).toEqual([]);
  });
});

const ocrSamples = sharedFixture('docs/chatchat-samples/tests/samples', 'Langchain-Chatchat OCR samples');

describe.runIf(ocrSamples)('Langchain-Chatchat OCR samples', () => {
  it('text layers and tables of the docx, pptx and pdf samples', async () => {
    expect(textOf(await loadPath(join(ocrSamples!, 'ocr_test.docx')))).toBe(
      '我是文字\n我是表格1 | 我是表格2\n我是表格3 | 我是表格4',
    );
    expect(textOf(await loadPath(join(ocrSamples!, 'ocr_test.pptx')))).toBe(
      '我是文字\n我是表格1 | 我是表格5\n我是表格3 | 我是表格4',
    );
    expect(textOf(await loadPath(join(ocrSamples!, 'ocr_test.pdf')))).toContain('我是文字');
  });

  it('OCR of the picture (alone, and inside the nearly text-free PDF page)', async () => {
    const resolution = await getOcrEngine('auto');
    if (!resolution.engine) {
      console.warn(`[notice] skipping OCR sample test: ${resolution.reason}`);
      return;
    }
    for (const name of ['ocr_test.jpg', 'ocr_test.pdf']) {
      const text = textOf(await loadPath(join(ocrSamples!, name)));
      expect(text).toContain('横向文本框');
      expect(text).toContain('English text');
    }
  });
});

const html = sharedFixture('docs/html', 'Mozilla Readability Chinese pages');

describe.runIf(html)('Chinese web pages (Readability test pages)', () => {
  it.each(html ? readdirSync(html) : [])('%s: article text matches the expected text (similarity ≥ 0.9)', async (page) => {
    const doc = await loaders.load({
      name: `${page}.html`,
      extension: 'html',
      bytes: readFileSync(join(html!, page, 'source.html')),
    });
    checkBlocks(doc, `${page}.html`);
    const expected = readFileSync(join(html!, page, 'expected.txt'), 'utf8');
    expect(textSimilarity(textOf(doc), expected)).toBeGreaterThanOrEqual(0.9);
  });
});
