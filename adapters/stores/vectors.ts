import { TeamKbError } from '../../core/errors.js';

/** A unit-length copy (cosine = dot product = 1 - squaredL2 / 2). A zero vector stays zero. */
export function unitVector(vector: Float32Array): Float32Array {
  let sum = 0;
  for (const x of vector) sum += x * x;
  const out = new Float32Array(vector.length);
  if (sum === 0 || !Number.isFinite(sum)) return out;
  const inv = 1 / Math.sqrt(sum);
  for (let i = 0; i < vector.length; i++) out[i] = (vector[i] as number) * inv;
  return out;
}

export function checkDimension(kb: string, expected: number | null, vector: Float32Array | undefined, what: string): void {
  if (expected === null) {
    if (vector !== undefined) {
      throw new TeamKbError('DIMENSION_MISMATCH', `Knowledge base "${kb}" is keyword-only, but ${what} carries a vector.`, {
        details: { kb, got: vector.length },
      });
    }
    return;
  }
  if (vector === undefined) {
    throw new TeamKbError('DIMENSION_MISMATCH', `Knowledge base "${kb}" stores ${expected}-dim vectors, but ${what} has none.`, {
      details: { kb, expected },
    });
  }
  if (vector.length !== expected) {
    throw new TeamKbError(
      'DIMENSION_MISMATCH',
      `Knowledge base "${kb}" stores ${expected}-dim vectors, but ${what} has ${vector.length} dimensions (was it built with another embedder?).`,
      { details: { kb, expected, got: vector.length } },
    );
  }
}

export function keywordOnlyDenseError(kb: string): TeamKbError {
  return new TeamKbError(
    'INVALID_INPUT',
    `Knowledge base "${kb}" is keyword-only (no embedder), so it cannot be searched by vector: use search mode "bm25".`,
    { details: { kb } },
  );
}
