const K1 = 1.2;
const B = 0.75;

/**
 * BM25 relevance of each passage to the question, on 0..1: the BM25 score relative to the best
 * passage, times the share of the question's term weight (idf) that the passage contains (among
 * terms some passage has), so the passage matching every such term best scores 1 and one matching
 * none scores 0.
 */
export function lexicalScores(question: string, passages: string[], tokenize: (text: string) => string[]): number[] {
  const queryTerms = [...new Set(tokenize(question))];
  if (queryTerms.length === 0 || passages.length === 0) return passages.map(() => 0);
  const docs = passages.map((p) => tokenize(p));
  const avgLength = docs.reduce((sum, d) => sum + d.length, 0) / docs.length || 1;
  const docFrequency = new Map<string, number>();
  const termCounts = docs.map((doc) => {
    const counts = new Map<string, number>();
    for (const token of doc) counts.set(token, (counts.get(token) ?? 0) + 1);
    for (const term of queryTerms) if (counts.has(term)) docFrequency.set(term, (docFrequency.get(term) ?? 0) + 1);
    return counts;
  });
  const idf = new Map(
    queryTerms.map((term) => {
      const df = docFrequency.get(term) ?? 0;
      return [term, Math.log(1 + (docs.length - df + 0.5) / (df + 0.5))];
    }),
  );
  // Terms no passage contains (question words like 如何, "how") cannot tell passages apart.
  const matchable = queryTerms.filter((term) => (docFrequency.get(term) ?? 0) > 0);
  const totalIdf = matchable.reduce((sum, term) => sum + (idf.get(term) ?? 0), 0) || 1;

  const raw = termCounts.map((counts, i) => {
    const length = docs[i]?.length ?? 0;
    let score = 0;
    let matchedIdf = 0;
    for (const term of queryTerms) {
      const tf = counts.get(term) ?? 0;
      if (tf === 0) continue;
      const weight = idf.get(term) ?? 0;
      matchedIdf += weight;
      score += (weight * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * length) / avgLength));
    }
    return { score, coverage: matchedIdf / totalIdf };
  });
  const best = Math.max(...raw.map((r) => r.score));
  if (best <= 0) return passages.map(() => 0);
  return raw.map((r) => Math.min(1, (r.score / best) * r.coverage));
}

/** Cosine of two L2-normalised vectors, clamped to 0..1 (opposite meaning counts as unrelated). */
export function cosine01(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) dot += (a[i] ?? 0) * (b[i] ?? 0);
  return Math.max(0, Math.min(1, dot));
}
