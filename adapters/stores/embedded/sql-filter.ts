import type { StoreFilter } from '../../../core/vector-store.js';

/** A SQL string literal: single quotes doubled, so any value stays data. */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * The WHERE clause for a filter, `undefined` for "everything", or `null` when the filter
 * can match nothing (an empty fileIds list).
 */
export function filterSql(filter: StoreFilter | undefined): string | undefined | null {
  if (filter === undefined) return undefined;
  const clauses: string[] = [];
  if (filter.fileIds !== undefined) {
    if (filter.fileIds.length === 0) return null;
    clauses.push(`file_id IN (${filter.fileIds.map(sqlString).join(', ')})`);
  }
  if (filter.excludeFileIds !== undefined && filter.excludeFileIds.length > 0) {
    clauses.push(`file_id NOT IN (${filter.excludeFileIds.map(sqlString).join(', ')})`);
  }
  return clauses.length > 0 ? clauses.join(' AND ') : undefined;
}
