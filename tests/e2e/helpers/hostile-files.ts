import { deflateRawSync, deflateSync } from 'node:zlib';
import * as XLSX from '@e965/xlsx';

/** Hostile inputs, generated small but shaped like the attacks they stand for. */

export function nestedHtml(depth: number, text = 'Deeply nested words survive the plain-text fallback.'): string {
  return `<html><body>${'<b>'.repeat(depth)}${text}${'</b>'.repeat(depth)}</body></html>`;
}

export function wideHtml(elements: number): string {
  return `<html><body><p>Wide page marker sentence.</p>${'<span>w</span>'.repeat(elements)}</body></html>`;
}

/** An e-mail whose only body is HTML, nested like the page above. */
export function htmlOnlyEmail(depth: number): string {
  return [
    'From: Mallory <mallory@example.com>',
    'To: team@example.com',
    'Subject: Nested invoice',
    'MIME-Version: 1.0',
    'Content-Type: text/html; charset=utf-8',
    '',
    nestedHtml(depth, 'The invoice total is in this e-mail body.'),
    '',
  ].join('\r\n');
}

/** A one-page PDF that also carries a Flate stream expanding to `inflatedBytes` (mostly spaces). */
export function pdfWithHugeStream(inflatedBytes: number): Buffer {
  const content = Buffer.from('BT /F1 12 Tf 72 720 Td (Small visible text) Tj ET');
  const bomb = deflateSync(Buffer.alloc(inflatedBytes, 0x20), { level: 9 });
  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n')];
  const add = (text: string) => parts.push(Buffer.from(text, 'latin1'));
  add('1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n');
  add('2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n');
  add(
    '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /XObject << /X1 5 0 R >> >> >> endobj\n',
  );
  add(`4 0 obj << /Length ${content.length} >> stream\n`);
  parts.push(content);
  add('\nendstream endobj\n');
  add(`5 0 obj << /Type /XObject /Subtype /Form /BBox [0 0 1 1] /Filter /FlateDecode /Length ${bomb.length} >> stream\n`);
  parts.push(bomb);
  add('\nendstream endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
  return Buffer.concat(parts);
}

export interface ZipItem {
  name: string;
  data: Buffer;
  /** Size written into the headers instead of the real one (a lying archive). */
  declaredSize?: number;
}

/** A zip written by hand (deflate for every entry) so headers can say what a test wants. */
export function buildZip(items: ZipItem[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const item of items) {
    const name = Buffer.from(item.name);
    const packed = deflateRawSync(item.data);
    const size = item.declaredSize ?? item.data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += 30 + name.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(items.length, 8);
  end.writeUInt16LE(items.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const DOCX_TYPES =
  '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>';
const DOCX_BODY =
  '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Hello</w:t></w:r></w:p></w:body></w:document>';

function docxCore(): ZipItem[] {
  return [
    { name: '[Content_Types].xml', data: Buffer.from(DOCX_TYPES) },
    { name: 'word/document.xml', data: Buffer.from(DOCX_BODY) },
  ];
}

/** An xlsx-shaped archive padded with `count` media entries of `size` bytes each (each under any per-entry check). */
export function xlsxWithManyEntries(count: number, size: number): Buffer {
  const padding = Array.from({ length: count }, (_, i) => ({ name: `xl/media/pad${i}.bin`, data: Buffer.alloc(size, 0x41) }));
  return buildZip([{ name: 'xl/workbook.xml', data: Buffer.from('<workbook/>') }, ...padding]);
}

/** A docx with more (tiny) entries than the archive entry limit. */
export function docxWithManyEntries(count: number): Buffer {
  const extra = Array.from({ length: count }, (_, i) => ({ name: `word/media/e${i}.xml`, data: Buffer.from('<x/>') }));
  return buildZip([...docxCore(), ...extra]);
}

/** A docx whose body claims 200 bytes but inflates to `realSize`. */
export function docxWithLyingSizes(realSize: number): Buffer {
  const [types, body] = docxCore();
  const padded = Buffer.concat([body!.data, Buffer.alloc(realSize, 0x20)]);
  return buildZip([types!, { name: 'word/document.xml', data: padded, declaredSize: 200 }]);
}

export function deepJson(depth: number): string {
  return `${'['.repeat(depth)}"bottom"${']'.repeat(depth)}`;
}

/** A workbook whose headers and cells are prototype-pollution keys. */
export function protoSpreadsheet(): Buffer {
  const sheet = XLSX.utils.aoa_to_sheet([
    ['__proto__', 'constructor', 'prototype', 'owner'],
    ['{"polluted":"yes"}', 'toString', 'hasOwnProperty', 'Prototype keys stay plain text'],
  ]);
  const book = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(book, sheet, '__proto__');
  return XLSX.write(book, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
}
