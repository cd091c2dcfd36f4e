/** Text as compared across parsers: Unicode-normalised, whitespace dropped (parsers disagree on line breaks and spacing). */
export function normaliseForComparison(text: string): string {
  return text.normalize('NFKC').replace(/\s+/g, '');
}

/** Length of the longest common subsequence, in O(a·b) time and O(b) memory. */
export function lcsLength(a: string, b: string): number {
  if (a.length === 0 || b.length === 0) return 0;
  let previous = new Uint32Array(b.length + 1);
  let current = new Uint32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    const charA = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      current[j] = charA === b.charCodeAt(j - 1) ? previous[j - 1]! + 1 : Math.max(previous[j]!, current[j - 1]!);
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length]!;
}

/** Character similarity in 0..1: 2·LCS / (|a| + |b|) on normalised text (1 = same characters in the same order). */
export function textSimilarity(a: string, b: string): number {
  const x = normaliseForComparison(a);
  const y = normaliseForComparison(b);
  if (x.length + y.length === 0) return 1;
  return (2 * lcsLength(x, y)) / (x.length + y.length);
}

/** Share of the expected text found, in order, in the actual text (0..1). */
export function textRecall(actual: string, expected: string): number {
  const y = normaliseForComparison(expected);
  if (y.length === 0) return 1;
  return lcsLength(normaliseForComparison(actual), y) / y.length;
}
