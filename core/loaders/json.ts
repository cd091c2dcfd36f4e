import type { Loader } from '../loader.js';
import { decodeText } from '../text/encoding.js';
import { BlockList, finishDoc } from './blocks.js';
import type { LoaderContext } from './context.js';
import { causeLine, fileError, throwIfAborted } from './failures.js';
import { jsonDepthOver } from './json-depth.js';
import { groupRows, type RowText } from './rows.js';

/** JSON: records (an array of objects, or JSON Lines) become table blocks of "key: value" lines; anything else one prose block. */
export function createJsonLoader(context: LoaderContext): Loader {
  return {
    extensions: ['json', 'jsonl', 'ndjson'],
    async load(file, signal) {
      throwIfAborted(signal, file);
      const text = decodeText(file.bytes).text;
      const maxDepth = context.limits.jsonMaxDepth;
      if (jsonDepthOver(text, maxDepth, file.extension !== 'json')) {
        throw fileError('FILE_TOO_LARGE', file, `the JSON nests deeper than ${maxDepth} levels (kb.limits.jsonMaxDepth)`);
      }
      const blocks = new BlockList();
      const warnings: string[] = [];
      const whole = file.extension === 'json' ? parseWhole(text) : undefined;
      if (whole && 'value' in whole) {
        const value = whole.value;
        if (Array.isArray(value) && value.length > 0 && value.every(isRecord)) addRecords(value.map(recordRow), blocks);
        else blocks.prose(flatten(value).join('\n'));
      } else {
        const { rows, bad } = parseLines(text);
        if (rows.length === 0) {
          const reason = whole?.error ? `not valid JSON (${whole.error})` : 'no line is valid JSON';
          throw fileError('FILE_CORRUPT', file, reason);
        }
        if (bad.length > 0) warnings.push(`skipped ${bad.length} invalid JSON line(s), first at line ${bad[0]}`);
        addRecords(rows, blocks);
      }
      return finishDoc(file, blocks.blocks, warnings);
    },
  };
}

function parseWhole(text: string): { value: unknown } | { error: string } {
  try {
    return { value: JSON.parse(text) };
  } catch (err) {
    return { error: causeLine(err) };
  }
}

/** JSON Lines, one record per line; a .json file that fails as a whole is tried this way too. */
function parseLines(text: string): { rows: RowText[]; bad: number[] } {
  const rows: RowText[] = [];
  const bad: number[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (!line.trim()) return;
    try {
      rows.push({ text: flatten(JSON.parse(line)).join('\n'), row: index + 1 });
    } catch {
      bad.push(index + 1);
    }
  });
  return { rows, bad };
}

function addRecords(rows: RowText[], blocks: BlockList): void {
  for (const group of groupRows(rows)) blocks.add(group.text, 'table', { row: group.row, rowEnd: group.rowEnd });
}

function recordRow(record: Record<string, unknown>, index: number): RowText {
  return { text: flatten(record).join('\n'), row: index + 1 };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** "a.b: value" lines; arrays of plain values joined by commas, arrays of objects indexed ("items[2].name"). */
export function flatten(value: unknown, path = ''): string[] {
  if (value === null || value === undefined || value === '') return [];
  if (Array.isArray(value)) {
    if (value.every((item) => !isRecord(item) && !Array.isArray(item))) {
      const joined = value
        .filter((item) => item !== null && item !== '')
        .map(String)
        .join(', ');
      return joined ? [path ? `${path}: ${joined}` : joined] : [];
    }
    return value.flatMap((item, index) => flatten(item, `${path}[${index}]`));
  }
  if (isRecord(value)) {
    return Object.entries(value).flatMap(([key, child]) => flatten(child, path ? `${path}.${key}` : key));
  }
  const text = String(value).trim();
  return text ? [path ? `${path}: ${text}` : text] : [];
}
