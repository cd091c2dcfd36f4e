import type * as Xlsx from '@e965/xlsx';
import type { Loader } from '../loader.js';
import { decodeText } from '../text/encoding.js';
import { BlockList, finishDoc } from './blocks.js';
import type { LoaderContext } from './context.js';
import { causeLine, fileError, looksEncrypted, throwIfAborted } from './failures.js';
import { groupRows, labelRow } from './rows.js';
import { isZip } from './zip.js';
import { assertZipWithinLimits } from './zip-guard.js';

const TEXT_FORMATS = new Set(['csv', 'tsv']);

/** Spreadsheets and delimited text: rows (or small row groups) with their header names, one table block each. */
export function createSheetLoader(context: LoaderContext): Loader {
  return {
    extensions: ['xlsx', 'xls', 'ods', 'csv', 'tsv'],
    async load(file, signal) {
      throwIfAborted(signal, file);
      if (isZip(file.bytes)) await assertZipWithinLimits(file, context.zipLimits, signal);
      const XLSX = await import('@e965/xlsx'); // loaded on first use: it takes about half a second
      const workbook = readWorkbook(XLSX, file.bytes, file.extension, file.name);
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

function readWorkbook(XLSX: typeof Xlsx, bytes: Buffer, extension: string, name: string): Xlsx.WorkBook {
  try {
    if (TEXT_FORMATS.has(extension)) {
      const text = decodeText(bytes).text;
      return XLSX.read(text, { type: 'string', raw: true, FS: extension === 'tsv' ? '\t' : undefined, dense: true });
    }
    return XLSX.read(bytes, { type: 'buffer', cellDates: true, cellHTML: false, cellFormula: false, dense: true });
  } catch (err) {
    const file = { name };
    if (looksEncrypted(err))
      throw fileError('FILE_ENCRYPTED', file, 'the workbook is password-protected; remove the password and upload it again', err);
    throw fileError('FILE_CORRUPT', file, `not a readable spreadsheet (${causeLine(err)})`, err);
  }
}

function toCells(row: unknown[]): string[] {
  return Array.from(row, (cell) => (cell === null || cell === undefined ? '' : String(cell).trim()));
}

/**
 * Table-like sheets (most rows fill two or more cells) are labelled with their header row, the first
 * plausible one; lines above it become prose (titles, notes). Other sheets (a document pasted into
 * one column, say) keep each row's cells as they are.
 */
function addSheetBlocks(rows: string[][], sheet: string | undefined, blocks: BlockList): void {
  const filled = rows.filter((row) => row.some(Boolean));
  const tableLike = filled.filter((row) => row.filter(Boolean).length >= 2).length >= filled.length / 2;
  const headerIndex = tableLike ? filled.findIndex(isPlausibleHeader) : -1;
  if (headerIndex < 0) {
    const plain = filled.map((cells, index) => ({ text: cells.filter(Boolean).join(' | '), row: index + 1 }));
    for (const group of groupRows(plain)) blocks.add(group.text, 'table', { sheet, row: group.row, rowEnd: group.rowEnd });
    return;
  }
  for (const line of filled.slice(0, headerIndex)) blocks.prose(line.filter(Boolean).join(' '), { sheet });
  const header = filled[headerIndex]!;
  const data = filled.slice(headerIndex + 1);
  if (data.length === 0) {
    blocks.add(header.filter(Boolean).join(' | '), 'table', { sheet });
    return;
  }
  // A row with a single filled cell inside a table is a sub-heading or a note, not a record.
  const labelled = data.map((cells, index) => ({
    text: cells.filter(Boolean).length === 1 ? cells.filter(Boolean).join('') : labelRow(header, cells),
    row: index + 1,
  }));
  for (const group of groupRows(labelled)) blocks.add(group.text, 'table', { sheet, row: group.row, rowEnd: group.rowEnd });
}

/** Column names: at least two, short, distinct, and not numbers. */
function isPlausibleHeader(row: string[]): boolean {
  const names = row.filter(Boolean);
  if (names.length < 2 || new Set(names).size !== names.length) return false;
  return names.every((name) => name.length <= 80 && !/^[-+]?[\d.,%\s]+$/.test(name));
}
