/** 1 − edit distance / longer length, over code points with all whitespace removed. */
export function characterSimilarity(a: string, b: string): number {
  const x = Array.from(a.replace(/\s+/g, ''));
  const y = Array.from(b.replace(/\s+/g, ''));
  if (x.length === 0 && y.length === 0) return 1;
  let previous = Int32Array.from({ length: y.length + 1 }, (_, j) => j);
  let current = new Int32Array(y.length + 1);
  for (let i = 1; i <= x.length; i++) {
    current[0] = i;
    for (let j = 1; j <= y.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (x[i - 1] === y[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    [previous, current] = [current, previous];
  }
  return 1 - (previous[y.length] ?? 0) / Math.max(x.length, y.length);
}
