/** Levenshtein distance (insert, delete, substitute), by code point. */
export function editDistance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + cost);
    }
    previous = current;
  }
  return previous[y.length] as number;
}

/** The candidate nearest to `word` (an abbreviation counts as near); ties go to the earlier one. */
export function closest<T>(word: string, candidates: readonly T[], nameOf: (c: T) => string[]): T | undefined {
  let best: T | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    for (const name of nameOf(candidate)) {
      const w = word.toLowerCase();
      const n = name.toLowerCase();
      const d = w.length >= 2 && n.startsWith(w) ? 0.5 : editDistance(w, n);
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
  }
  return best;
}
