export interface BatchLimits {
  /** Most texts in one batch. */
  maxBatchSize: number;
  /** Most characters (of the longest text times the batch size, i.e. padded length) in one batch. */
  maxBatchChars: number;
}

/**
 * Groups text indices into batches, shortest texts first, so each batch pads little; long texts go
 * alone because padded batches of long passages run slower than one at a time on CPU.
 */
export function planBatches(lengths: readonly number[], limits: BatchLimits): number[][] {
  const order = lengths.map((_, i) => i).sort((a, b) => (lengths[a] as number) - (lengths[b] as number) || a - b);
  const batches: number[][] = [];
  let current: number[] = [];
  for (const index of order) {
    const padded = Math.max(1, lengths[index] as number) * (current.length + 1);
    if (current.length > 0 && (current.length >= limits.maxBatchSize || padded > limits.maxBatchChars)) {
      batches.push(current);
      current = [];
    }
    current.push(index);
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
