/**
 * Reference figures from shared/RETRIEVAL.md: simple retrievers measured on the same machine class
 * (BM25 over jieba tokens, brute-force bge-small-zh cosine, RRF k 60, min-max weighted 0.5/0.5),
 * whole passages, passage-level hits. They are constants to compare against, not measured here.
 */
export interface ReferenceCell {
  top1: number;
  hit5: number;
  mrr10: number;
}

export interface ReferenceRow {
  label: string;
  /** Keyed by our mode names. */
  cells: Partial<Record<'bm25' | 'dense' | 'hybrid-rrf' | 'hybrid-weighted', ReferenceCell>>;
}

const cell = (top1: number, hit5: number, mrr10: number): ReferenceCell => ({ top1, hit5, mrr10 });

interface ReferenceEntry extends ReferenceRow {
  matches: (setName: string) => boolean;
}

const REFERENCES: ReferenceEntry[] = [
  {
    label: 'cmrc2018_trial, 1000 queries',
    matches: (name) => name === 'cmrc2018_trial',
    cells: {
      bm25: cell(0.963, 0.989, 0.975),
      dense: cell(0.923, 0.967, 0.944),
      'hybrid-rrf': cell(0.951, 0.987, 0.967),
      'hybrid-weighted': cell(0.98, 0.997, 0.988),
    },
  },
  {
    label: 'xquad_zh_sample20, 240 queries',
    matches: (name) => name === 'xquad_zh_sample20',
    cells: {
      bm25: cell(0.971, 0.992, 0.98),
      dense: cell(0.946, 0.988, 0.964),
      'hybrid-rrf': cell(0.954, 1, 0.975),
      'hybrid-weighted': cell(0.975, 1, 0.986),
    },
  },
  {
    label: 'English XQuAD, 1190 queries',
    matches: (name) => /xquad/i.test(name) && /(^|[^a-z])en([^a-z]|$)/i.test(name),
    cells: {
      bm25: cell(0.92, 0.984, 0.95),
      dense: cell(0.603, 0.82, 0.696),
      'hybrid-rrf': cell(0.786, 0.936, 0.855),
      'hybrid-weighted': cell(0.929, 0.989, 0.956),
    },
  },
];

/** The RETRIEVAL.md row for a set, when that set was measured there. */
export function referenceFor(setName: string): ReferenceRow | undefined {
  const entry = REFERENCES.find((r) => r.matches(setName));
  return entry ? { label: entry.label, cells: entry.cells } : undefined;
}
