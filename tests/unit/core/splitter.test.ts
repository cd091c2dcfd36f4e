import { describe, expect, it } from 'vitest';
import type { LoadedDoc } from '../../../core/documents.js';
import { splitDocument, splitPieces } from '../../../core/text/splitter.js';

const doc = (text: string, extra: Partial<LoadedDoc['blocks'][number]> = {}): LoadedDoc => ({
  source: 'guide.md',
  warnings: [],
  blocks: [{ text, kind: 'prose', meta: {}, ...extra }],
});

const length = (s: string) => Array.from(s).length;

describe('splitter', () => {
  it('keeps short text in one chunk with its source', () => {
    const chunks = splitDocument(doc('Hello world.'), { chunkSize: 500, chunkOverlap: 80 });
    expect(chunks).toEqual([{ text: 'Hello world.', meta: { source: 'guide.md', start: 0, end: 12 } }]);
  });

  it('splits Chinese text on sentence ends and respects the size', () => {
    const sentence = '知识库机器人会先检索相关段落，然后再回答问题。';
    const text = sentence.repeat(40);
    const chunks = splitDocument(doc(text), { chunkSize: 100, chunkOverlap: 20 });
    expect(chunks.length).toBeGreaterThan(8);
    for (const c of chunks) {
      expect(length(c.text)).toBeLessThanOrEqual(100);
      expect(c.text.endsWith('。')).toBe(true);
    }
  });

  it('splits English on sentence boundaries and overlaps neighbours', () => {
    const text = Array.from({ length: 30 }, (_, i) => `Sentence number ${i} talks about topic ${i}.`).join(' ');
    const chunks = splitDocument(doc(text), { chunkSize: 200, chunkOverlap: 60 });
    expect(chunks.length).toBeGreaterThan(3);
    for (let i = 1; i < chunks.length; i++) {
      const prev = chunks[i - 1]!.text;
      const firstWords = chunks[i]!.text.split(' ').slice(0, 3).join(' ');
      expect(prev).toContain(firstWords);
    }
  });

  it('never splits a surrogate pair', () => {
    const text = '😀'.repeat(1000);
    const pieces = splitPieces(text, 7);
    for (const p of pieces) expect(p).not.toMatch(/[\uD800-\uDBFF]$|^[\uDC00-\uDFFF]/);
    expect(pieces.join('')).toBe(text);
  });

  it('prefixes the heading path and keeps page metadata', () => {
    const chunks = splitDocument(doc('Run the installer.', { meta: { headings: ['Install', 'Linux'], page: 3 } }), {
      chunkSize: 500,
      chunkOverlap: 80,
    });
    expect(chunks[0]?.text).toBe('Install > Linux\nRun the installer.');
    expect(chunks[0]?.meta).toMatchObject({ heading: 'Install > Linux', page: 3, source: 'guide.md' });
  });

  it('keeps a table row group whole and cuts long tables between rows', () => {
    const rows = Array.from({ length: 50 }, (_, i) => `Name: user${i} | Dept: 销售 | Score: ${i}`).join('\n');
    const chunks = splitDocument(doc(rows, { kind: 'table', meta: { sheet: 'Sheet1', row: 1, rowEnd: 50 } }), {
      chunkSize: 300,
      chunkOverlap: 80,
    });
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) {
      for (const line of c.text.split('\n')) expect(line).toMatch(/^Name: user\d+ \| Dept: 销售 \| Score: \d+$/);
      expect(c.meta.sheet).toBe('Sheet1');
    }
  });

  it('loses no text when there is no overlap', () => {
    const text = 'Alpha beta gamma. '.repeat(200).trim();
    const chunks = splitDocument(doc(text), { chunkSize: 120, chunkOverlap: 0 });
    expect(
      chunks
        .map((c) => c.text)
        .join(' ')
        .replace(/\s+/g, ' '),
    ).toBe(text);
  });
});

describe('splitter with section blocks', () => {
  it('does not repeat a heading that the loader put on the first line', () => {
    const chunks = splitDocument(doc('## Linux\nRun the installer.', { meta: { headings: ['Install', 'Linux'] } }), {
      chunkSize: 500,
      chunkOverlap: 80,
    });
    expect(chunks[0]?.text).toBe('Install > Linux\nRun the installer.');
  });
});
