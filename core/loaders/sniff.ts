import { looksLikeText } from '../text/encoding.js';
import { cfb } from './cfb-reader.js';
import { isZip, readSmallEntry, readZipDirectory } from './zip.js';

/** What the bytes of a file are, whatever its name says. */
export type ContentKind =
  | 'pdf'
  | 'docx'
  | 'xlsx'
  | 'pptx'
  | 'odt'
  | 'ods'
  | 'odp'
  | 'epub'
  | 'zip'
  | 'doc'
  | 'xls'
  | 'ppt'
  | 'encrypted-office'
  | 'ole'
  | 'rtf'
  | 'png'
  | 'jpeg'
  | 'webp'
  | 'bmp'
  | 'text'
  | 'binary';

export const CONTENT_LABELS: Record<ContentKind, string> = {
  pdf: 'PDF',
  docx: 'Word document',
  xlsx: 'Excel workbook',
  pptx: 'PowerPoint presentation',
  odt: 'OpenDocument text',
  ods: 'OpenDocument spreadsheet',
  odp: 'OpenDocument presentation',
  epub: 'EPUB book',
  zip: 'zip archive',
  doc: 'Word 97-2003 document',
  xls: 'Excel 97-2003 workbook',
  ppt: 'PowerPoint 97-2003 presentation',
  'encrypted-office': 'password-protected Office document',
  ole: 'Office 97-2003 file',
  rtf: 'RTF document',
  png: 'PNG image',
  jpeg: 'JPEG image',
  webp: 'WebP image',
  bmp: 'BMP image',
  text: 'plain text file',
  binary: 'unrecognised binary file',
};

const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

const ODF_MIME: Record<string, ContentKind> = {
  'application/vnd.oasis.opendocument.text': 'odt',
  'application/vnd.oasis.opendocument.spreadsheet': 'ods',
  'application/vnd.oasis.opendocument.presentation': 'odp',
  'application/epub+zip': 'epub',
};

export function sniffContent(bytes: Buffer): ContentKind {
  if (isPdf(bytes)) return 'pdf';
  if (isZip(bytes)) return sniffZip(bytes);
  if (startsWithBytes(bytes, OLE_MAGIC)) return sniffOle(bytes);
  if (startsWith(bytes, '{\\rtf')) return 'rtf';
  if (startsWithBytes(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWithBytes(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, 'RIFF') && bytes.toString('latin1', 8, 12) === 'WEBP') return 'webp';
  if (startsWith(bytes, 'BM') && bytes.length > 26 && bytes.readUInt32LE(2) <= bytes.length + 1024) return 'bmp';
  return looksLikeText(bytes) ? 'text' : 'binary';
}

function sniffZip(bytes: Buffer): ContentKind {
  let names: string[];
  let entries: ReturnType<typeof readZipDirectory>;
  try {
    entries = readZipDirectory(bytes);
    names = entries.map((entry) => entry.name);
  } catch {
    return 'zip'; // damaged archive: the loader for the file's extension reports it
  }
  const mime = readSmallEntry(bytes, entries, 'mimetype')?.trim();
  if (mime && ODF_MIME[mime]) return ODF_MIME[mime];
  if (names.includes('word/document.xml') || names.some((name) => /^word\/document\d*\.xml$/.test(name))) return 'docx';
  if (names.includes('xl/workbook.xml') || names.includes('xl/workbook.bin')) return 'xlsx';
  if (names.includes('ppt/presentation.xml')) return 'pptx';
  if (names.includes('META-INF/container.xml')) return 'epub';
  return 'zip';
}

function sniffOle(bytes: Buffer): ContentKind {
  try {
    const container = cfb().read(bytes, { type: 'buffer' });
    const names = new Set(container.FullPaths.map((path) => path.replace(/\/$/, '').split('/').pop() ?? ''));
    if (names.has('EncryptionInfo') && names.has('EncryptedPackage')) return 'encrypted-office';
    if (names.has('WordDocument')) return 'doc';
    if (names.has('Workbook') || names.has('Book')) return 'xls';
    if (names.has('PowerPoint Document')) return 'ppt';
  } catch {
    // unreadable container: reported by the loader
  }
  return 'ole';
}

/** PDF readers accept junk before the header, so look a little further when the file also ends like a PDF. */
function isPdf(bytes: Buffer): boolean {
  if (startsWith(bytes, '%PDF-')) return true;
  return bytes.subarray(0, 1024).includes('%PDF-') && bytes.subarray(-1024).includes('%%EOF');
}

function startsWith(bytes: Buffer, text: string): boolean {
  return bytes.length >= text.length && bytes.toString('latin1', 0, text.length) === text;
}

function startsWithBytes(bytes: Buffer, prefix: number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((byte, i) => bytes[i] === byte);
}
