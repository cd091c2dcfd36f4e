import type { StoreFilter } from '../../../core/vector-store.js';

/**
 * A Milvus string literal. JSON string syntax (double quotes; backslash, quote and control
 * characters escaped) is also valid Milvus expression syntax, so any value stays one literal.
 */
export function exprString(value: string): string {
  return JSON.stringify(value);
}

/** The boolean expression for a filter, '' for "everything", or null when nothing can match. */
export function filterExpr(filter: StoreFilter | undefined): string | null {
  if (filter === undefined) return '';
  const clauses: string[] = [];
  if (filter.fileIds !== undefined) {
    if (filter.fileIds.length === 0) return null;
    clauses.push(`file_id in [${filter.fileIds.map(exprString).join(', ')}]`);
  }
  if (filter.excludeFileIds !== undefined && filter.excludeFileIds.length > 0) {
    clauses.push(`not (file_id in [${filter.excludeFileIds.map(exprString).join(', ')}])`);
  }
  return clauses.join(' and ');
}

/** One chunk by primary key. */
export function idExpr(id: string): string {
  return `id in [${exprString(id)}]`;
}

/** Chunks of one file at these ordinals (non-negative integers; at least one). */
export function ordinalsExpr(fileId: string, ordinals: number[]): string {
  return `file_id == ${exprString(fileId)} and ordinal in [${ordinals.join(', ')}]`;
}
