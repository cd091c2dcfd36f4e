import type { SourceFile } from '../documents.js';
import { fileError } from './failures.js';
import { CONTENT_LABELS, type ContentKind, sniffContent } from './sniff.js';

/** Extensions each recognised binary format is normally saved with; the first is the one it is loaded as. */
const KIND_EXTENSIONS: Partial<Record<ContentKind, string[]>> = {
  pdf: ['pdf'],
  docx: ['docx'],
  xlsx: ['xlsx'],
  pptx: ['pptx'],
  odt: ['odt'],
  ods: ['ods'],
  odp: ['odp'],
  epub: ['epub'],
  doc: ['doc'],
  xls: ['xls'],
  ppt: ['ppt'],
  rtf: ['rtf'],
  png: ['png'],
  jpeg: ['jpg', 'jpeg'],
  webp: ['webp'],
  bmp: ['bmp'],
};

const TEXT_EXTENSIONS = new Set([
  'txt',
  'md',
  'markdown',
  'rst',
  'csv',
  'tsv',
  'json',
  'jsonl',
  'ndjson',
  'html',
  'htm',
  'xhtml',
  'eml',
]);
const ZIP_EXTENSIONS = new Set(['docx', 'xlsx', 'pptx', 'odt', 'ods', 'odp', 'epub']);
const OLE_EXTENSIONS = new Set(['doc', 'xls', 'ppt']);

export interface Route {
  /** Extension whose loader reads the file. */
  extension: string;
  /** Set when the content is another format than the extension says. */
  warning?: string;
}

/** Picks the loader from the file's content, falling back to its extension; throws when the two cannot be reconciled. */
export function chooseExtension(file: SourceFile, extension: string): Route {
  const kind = sniffContent(file.bytes);
  const expected = labelOfExtension(extension);
  const usual = KIND_EXTENSIONS[kind];
  if (usual) {
    if (usual.includes(extension)) return { extension };
    return {
      extension: usual[0]!,
      warning: `${file.name} is actually a ${CONTENT_LABELS[kind]}, not a ${expected}; it was read as a ${CONTENT_LABELS[kind]}`,
    };
  }
  switch (kind) {
    case 'encrypted-office':
      throw fileError('FILE_ENCRYPTED', file, 'the document is password-protected; remove the password and upload it again');
    case 'zip':
      if (ZIP_EXTENSIONS.has(extension)) return { extension }; // damaged or incomplete: its loader says how
      throw fileError(
        'FILE_UNSUPPORTED',
        file,
        `the file is a zip archive, not a ${expected}; unpack it and upload the files inside`,
      );
    case 'ole':
      if (OLE_EXTENSIONS.has(extension)) return { extension };
      throw fileError('FILE_CORRUPT', file, `the file is an Office 97-2003 file of an unknown kind, not a ${expected}`);
    case 'text':
      if (TEXT_EXTENSIONS.has(extension) || extension === 'xls') return { extension }; // "Excel" exports are often HTML or CSV
      throw fileError('FILE_CORRUPT', file, `the file holds plain text, not a ${expected}; check the file or its extension`);
    default:
      if (TEXT_EXTENSIONS.has(extension)) {
        throw fileError('FILE_CORRUPT', file, `the file holds binary data, not text; it is not a valid ${expected}`);
      }
      throw fileError('FILE_CORRUPT', file, `not a valid ${expected} (the content is not recognised; the file may be damaged)`);
  }
}

function labelOfExtension(extension: string): string {
  for (const [kind, extensions] of Object.entries(KIND_EXTENSIONS)) {
    if (extensions.includes(extension)) return CONTENT_LABELS[kind as ContentKind];
  }
  const text: Record<string, string> = {
    csv: 'CSV file',
    tsv: 'TSV file',
    json: 'JSON file',
    jsonl: 'JSON Lines file',
    eml: 'e-mail',
  };
  if (text[extension]) return text[extension];
  if (extension === 'html' || extension === 'htm' || extension === 'xhtml') return 'web page';
  return `.${extension} file`;
}
