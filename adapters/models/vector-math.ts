/** Scales a vector to unit length in place; a zero vector is left as it is. */
export function l2NormalizeInPlace(vector: Float32Array): Float32Array {
  let sum = 0;
  for (const x of vector) sum += x * x;
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let i = 0; i < vector.length; i++) vector[i] = (vector[i] as number) / norm;
  return vector;
}

/** Copies numbers into a fresh unit-length Float32Array. */
export function toUnitVector(values: ArrayLike<number>): Float32Array {
  return l2NormalizeInPlace(Float32Array.from(values as ArrayLike<number>));
}

export function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) sum += (a[i] as number) * (b[i] as number);
  return sum;
}

export function l2Norm(vector: Float32Array): number {
  return Math.sqrt(dot(vector, vector));
}

/** Cosine similarity; 0 when either vector is zero. */
export function cosine(a: Float32Array, b: Float32Array): number {
  const denominator = l2Norm(a) * l2Norm(b);
  return denominator === 0 ? 0 : dot(a, b) / denominator;
}
