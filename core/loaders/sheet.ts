import * as XLSX from 'xlsx';
import type { Loader } from '../loader.js';
import { decodeText } from '../text/encoding.js';
import { BlockList, finishDoc } from './blocks.js';
import type { LoaderContext } from './context.js';
import { causeLine, fileError, looksEncrypted, throwIfAborted } from './failures.js';
import { groupRows, labelRow } from './rows.js';
import { assertZipWithinLimits } from './zip-guard.js';
import { isZip } from './zip.js';

const TEXT_FORMATS = new Set(['csv', 'tsv']);

/** Spreadsheets and delimited text: rows (or small row groups) with their header names, one table block each. */
export function createSheetLoader(context: LoaderContext): Loader {
  return {
    extensions: ['xlsx', 'xls', 'ods', 'csv', 'tsv'],
    async load(file, signal) {
      throwIfAborted(signal, file);
      if (isZip(file.bytes)) await assertZipWithinLimits(file, context.zipLimits, signal);
      const workbook = readWorkbook(file.bytes, file.extension, file.name);
      const blocks = new BlockList();
      for (const sheetName of workbook.SheetNames) {
        throwIfAborted(signal, file);
        const sheet = workbook.Sheets[sheetName];
        if (!sheet) continue;
        const rows = XLSX.utils.sheet_to_json<unknown[]>(sheet, { header: 1, raw: false, defval: '', blankrows: false });
        addSheetBlocks(rows.map(toCells), TEXT_FORMATS.has(file.extension) ? undefined : sheetName, blocks);
      }
      return finishDoc(file, blocks.blocks);
    },
  };
}

function readWorkbook(bytes: Buffer, extension: string, name: string): XLSX.WorkBook {
  try {
    if (TEXT_FORMATS.has(extension)) {
      const text = decodeText(bytes).text;
      return XLSX.read(text, { type: 'string', raw: true, FS: extension === 'tsv' ? '\t' : undefined, dense: true });
    }
    return XLSX.read(bytes, { type: 'buffer', cellDates: true, cellHTML: false, cellFormula: false, dense: true });
  } catch (err) {
    const file = { name };
    if (looksEncrypted(err)) throw fileError('FILE_ENCRYPTED', file, 'the workbook is password-protected; remove the password and upload it again', err);
    throw fileError('FILE_CORRUPT', file, `not a readable spreadsheet (${causeLine(err)})`, err);
  }
}

function toCells(row: unknown[]): string[] {
  return Array.from(row, (cell) => (cell === null || cell === undefined ? '' : String(cell).trim()));
}

/**
 * The first non-empty row is the header. A lone cell above a wider table is a title: it becomes a
 * prose block and the next row is the header.
 */
function addSheetBlocks(rows: string[][], sheet: string | undefined, blocks: BlockList): void {
  const filled = rows.filter((row) => row.some(Boolean));
  const width = Math.max(0, ...filled.map((row) => row.filter(Boolean).length));
  let start = 0;
  while (start < filled.length - 1 && width > 1 && filled[start]!.filter(Boolean).length === 1) {
    blocks.prose(filled[start]!.filter(Boolean).join(''), { sheet });
    start++;
  }
  const header = filled[start];
  if (!header) return;
  const data = filled.slice(start + 1);
  if (data.length === 0) {
    blocks.add(header.filter(Boolean).join(' | '), 'table', { sheet });
    return;
  }
  const labelled = data.map((cells, index) => ({ text: labelRow(header, cells), row: index + 1 }));
  for (const group of groupRows(labelled)) blocks.add(group.text, 'table', { sheet, row: group.row, rowEnd: group.rowEnd });
}
