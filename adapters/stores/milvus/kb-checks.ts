import { TeamKbError } from '../../../core/errors.js';
import type { CollectionInfo } from './collections.js';

/** DIMENSION_MISMATCH unless the KB's collection holds vectors of `dim` (null: keyword-only). */
export function sameDimension(kb: string, existing: CollectionInfo, dim: number | null): void {
  if (existing.dim === dim) return;
  throw new TeamKbError(
    'DIMENSION_MISMATCH',
    `Knowledge base "${kb}" on Milvus holds ${describeDim(existing.dim)}, not ${describeDim(dim)}.`,
    { details: { kb, expected: existing.dim, got: dim } },
  );
}

function describeDim(dim: number | null): string {
  return dim === null ? 'no vectors (keyword-only)' : `${dim}-dim vectors`;
}

/** The error for writing to a KB that has no collection yet. */
export function missingKb(kb: string): () => never {
  return () => {
    throw new TeamKbError('KB_NOT_FOUND', `Knowledge base "${kb}" has no Milvus collection yet (create it first).`, {
      details: { kb },
    });
  };
}
