import type { StoredChunk } from '../../../core/chunk.js';
import { exprString } from './filter-expr.js';
import { rowToStoredChunk } from './results.js';

/** Milvus compares VarChar keys byte by byte (UTF-8), not by UTF-16 code unit as JavaScript does. */
function byKey(a: Record<string, unknown>, b: Record<string, unknown>): number {
  return Buffer.compare(Buffer.from(String(a.id)), Buffer.from(String(b.id)));
}

/**
 * Every row of a collection, page by page in primary-key order: each page asks for the rows
 * after the last key seen (`id > "<key>"`, the key escaped as a string literal). A page that fails
 * is retried by `readPage` with the same bound, so no row is ever yielded twice and a failure
 * never restarts the scan from the first page.
 */
export async function* scanPages(
  pageSize: number,
  readPage: (filter: string) => Promise<Record<string, unknown>[]>,
): AsyncIterable<StoredChunk[]> {
  let after: string | undefined;
  for (;;) {
    const rows = await readPage(after === undefined ? '' : `id > ${exprString(after)}`);
    if (rows.length === 0) return;
    rows.sort(byKey);
    yield rows.map(rowToStoredChunk);
    if (rows.length < pageSize) return;
    after = String(rows[rows.length - 1]?.id);
  }
}
