import { randomBytes } from 'node:crypto';
import { Document, Packer, Paragraph } from 'docx';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLoaders } from '../../../core/loaders/index.js';
import { makeEncryptedPdf, makeOle, makePdf, makeZip } from './make-files.js';

let docx: Buffer;
let pdf: Buffer;

beforeAll(async () => {
  docx = await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph('Hello 你好')] }] }));
  pdf = await makePdf([['PDF text 中文']]);
});

const loaders = createLoaders({ ocrEngine: 'none' });
const load = (name: string, bytes: Buffer, options?: Parameters<typeof createLoaders>[0]) =>
  (options ? createLoaders({ ocrEngine: 'none', ...options }) : loaders).load({ name, extension: name.split('.').pop()!, bytes });

/** Sets the declared uncompressed size of every central-directory entry named `name`. */
function lieAboutSize(zip: Buffer, name: string, size: number): Buffer {
  const copy = Buffer.from(zip);
  for (let at = copy.indexOf('PK\u0001\u0002'); at >= 0; at = copy.indexOf('PK\u0001\u0002', at + 4)) {
    const nameLength = copy.readUInt16LE(at + 28);
    if (copy.toString('utf8', at + 46, at + 46 + nameLength) === name) copy.writeUInt32LE(size, at + 24);
  }
  return copy;
}

describe('bad input is refused with a one-line reason naming the file', () => {
  const cases: {
    label: string;
    name: string;
    bytes: () => Buffer | Promise<Buffer>;
    code: string;
    message: RegExp;
    options?: object;
  }[] = [
    {
      label: 'encrypted PDF',
      name: 'secret.pdf',
      bytes: makeEncryptedPdf,
      code: 'FILE_ENCRYPTED',
      message: /password-protected/,
    },
    {
      label: 'encrypted Office document',
      name: 'secret.docx',
      bytes: () => makeOle({ EncryptionInfo: Buffer.alloc(64, 1), EncryptedPackage: Buffer.alloc(600, 2) }),
      code: 'FILE_ENCRYPTED',
      message: /password-protected/,
    },
    {
      label: 'truncated docx',
      name: 'cut.docx',
      bytes: () => docx.subarray(0, Math.floor(docx.length / 2)),
      code: 'FILE_CORRUPT',
      message: /truncated/,
    },
    { label: 'truncated PDF', name: 'cut.pdf', bytes: () => pdf.subarray(0, 200), code: 'FILE_CORRUPT', message: /PDF/ },
    { label: 'empty file', name: 'empty.docx', bytes: () => Buffer.alloc(0), code: 'FILE_EMPTY', message: /empty/ },
    {
      label: 'whitespace-only text',
      name: 'blank.txt',
      bytes: () => Buffer.from(' \n\t\n'),
      code: 'FILE_EMPTY',
      message: /no readable text/,
    },
    {
      label: 'random bytes named .xlsx',
      name: 'data.xlsx',
      bytes: () => randomBytes(4096),
      code: 'FILE_CORRUPT',
      message: /not a valid Excel workbook/,
    },
    {
      label: 'random bytes named .txt',
      name: 'notes.txt',
      bytes: () => randomBytes(4096),
      code: 'FILE_CORRUPT',
      message: /binary data/,
    },
    {
      label: 'plain text named .pdf',
      name: 'fake.pdf',
      bytes: () => Buffer.from('just some words'),
      code: 'FILE_CORRUPT',
      message: /plain text, not a PDF/,
    },
    {
      label: 'zip without a document named .docx',
      name: 'odd.docx',
      bytes: () => makeZip({ 'a.txt': 'hello' }),
      code: 'FILE_CORRUPT',
      message: /damaged/,
    },
    {
      label: 'zip archive named .json',
      name: 'bundle.json',
      bytes: () => makeZip({ 'a.txt': 'hello' }),
      code: 'FILE_UNSUPPORTED',
      message: /zip archive/,
    },
    {
      label: 'invalid JSON',
      name: 'bad.json',
      bytes: () => Buffer.from('{"a": '),
      code: 'FILE_CORRUPT',
      message: /not valid JSON/,
    },
    {
      label: 'unknown extension',
      name: 'tool.exe',
      bytes: () => Buffer.from('MZ'),
      code: 'FILE_UNSUPPORTED',
      message: /\.exe files are not supported; supported types: .*docx.*pdf/,
    },
    {
      label: 'zip bomb (near-maximal compression)',
      name: 'bomb.docx',
      bytes: () => makeZip({ 'word/document.xml': Buffer.alloc(12 * 1024 * 1024, 0x41) }),
      code: 'FILE_CORRUPT',
      message: /zip bomb/,
    },
    {
      label: 'entry that inflates past its declared size',
      name: 'liar.docx',
      bytes: async () => lieAboutSize(docx, 'word/document.xml', 10),
      code: 'FILE_CORRUPT',
      message: /beyond the size its archive declares/,
    },
    {
      label: 'too many zip entries',
      name: 'many.docx',
      bytes: () => docx,
      options: { maxZipEntries: 3 },
      code: 'FILE_TOO_LARGE',
      message: /entries, over the limit of 3/,
    },
    {
      label: 'too much inflated content',
      name: 'big.xlsx',
      bytes: () => docx,
      options: { maxInflatedBytes: 1000 },
      code: 'FILE_TOO_LARGE',
      message: /over the limit/,
    },
  ];

  it.each(cases)('$label → $code', async ({ name, bytes, code, message, options }) => {
    const error = await load(name, await bytes(), options).catch((err: unknown) => err);
    expect(error).toMatchObject({ name: 'TeamKbError', code });
    const text = (error as Error).message;
    expect(text.startsWith(`${name}: `)).toBe(true);
    expect(text).not.toContain('\n');
    expect(text).toMatch(message);
  });
});

describe('content wins over a wrong extension', () => {
  it('a PDF named .docx is read as a PDF, with a warning', async () => {
    const loaded = await load('report.docx', pdf);
    expect(loaded.source).toBe('report.docx');
    expect(loaded.blocks[0]).toMatchObject({ text: 'PDF text 中文', meta: { page: 1 } });
    expect(loaded.warnings[0]).toMatch(/^report\.docx is actually a PDF, not a Word document/);
  });

  it('a Word document named .pdf is read as a Word document', async () => {
    const loaded = await load('scan.pdf', docx);
    expect(loaded.blocks[0]!.text).toBe('Hello 你好');
    expect(loaded.warnings[0]).toMatch(/is actually a Word document, not a PDF/);
  });

  it('extensions are matched case-insensitively', async () => {
    const loaded = await loaders.load({ name: 'REPORT.PDF', extension: 'PDF', bytes: pdf });
    expect(loaded.blocks).toHaveLength(1);
  });
});

describe('supported types', () => {
  it('lists every format and finds a loader by extension', () => {
    for (const ext of [
      'pdf',
      'docx',
      'doc',
      'pptx',
      'ppt',
      'xlsx',
      'xls',
      'csv',
      'tsv',
      'ods',
      'odt',
      'odp',
      'rtf',
      'txt',
      'md',
      'rst',
      'html',
      'htm',
      'json',
      'jsonl',
      'eml',
      'epub',
      'png',
      'jpg',
      'jpeg',
      'webp',
      'bmp',
    ]) {
      expect(loaders.supportedExtensions).toContain(ext);
      expect(loaders.loaderFor(ext)?.extensions).toContain(ext);
    }
    expect(loaders.loaderFor('.PDF')).toBe(loaders.loaderFor('pdf'));
    expect(loaders.loaderFor('exe')).toBeUndefined();
  });
});
