import type { CvRow } from './fusion-grid.js';
import type { RankMetrics } from './metrics.js';
import type { ModeResult, SetResult } from './run-set.js';

const f3 = (n: number | undefined): string => (n === undefined || Number.isNaN(n) ? '' : n.toFixed(3).replace(/^0\./, '.'));

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] as number))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
}

const metricCells = (m: RankMetrics): string[] => [f3(m.hit1), f3(m.hit3), f3(m.hit5), f3(m.hit10), f3(m.mrr10)];

/** Text report of one set: every mode and variant, the RETRIEVAL.md reference beside whole-passage rows. */
export function formatSetResult(result: SetResult): string {
  const out: string[] = [];
  const chunkInfo = Object.entries(result.chunks)
    .map(([label, n]) => `${label}: ${n} chunks`)
    .join(', ');
  out.push(`\n## ${result.set}: ${result.queries} queries, ${result.passages} passages; ${chunkInfo}`);
  out.push(`embedder: ${result.embedder}${result.reranker ? `; reranker: ${result.reranker}` : ''}`);
  if (result.droppedQueries > 0) out.push(`(${result.droppedQueries} queries dropped: empty or positives not in the corpus)`);
  const ref = result.reference;
  const header = ['variant', 'mode', 'hit@1', 'hit@3', 'hit@5', 'hit@10', 'MRR@10', 'ms/query'];
  if (ref) header.push('reference top1/hit5/MRR');
  const rows = result.results.map((r) => {
    const ms = r.mode === 'reference' ? 'n/a' : r.msPerQuery.toFixed(1);
    const cells = [r.variant, r.mode, ...metricCells(r.passage), ms];
    if (ref) {
      const cell = r.variant === 'whole passages' ? ref.cells[r.mode as keyof typeof ref.cells] : undefined;
      cells.push(cell ? `${f3(cell.top1)}/${f3(cell.hit5)}/${f3(cell.mrr10)}` : '');
    }
    return cells;
  });
  out.push(...table(header, rows));
  if (ref)
    out.push(`reference: RETRIEVAL.md "${ref.label}" (simple reference retrievers, whole passages; not measured in this run)`);

  const chunked = result.results.filter((r) => r.answerChunk);
  if (chunked.length > 0) {
    out.push(
      '',
      'chunk level (hit = the retrieved chunk of the right passage holds the answer text; window = with its neighbours):',
    );
    out.push(
      ...table(
        ['variant', 'mode', 'hit@1', 'hit@3', 'hit@5', 'hit@10', 'MRR@10', 'window hit@1', 'window MRR@10'],
        chunked.map((r) => [
          r.variant,
          r.mode,
          ...metricCells(r.answerChunk as RankMetrics),
          f3(r.answerWindow?.hit1),
          f3(r.answerWindow?.mrr10),
        ]),
      ),
    );
  }

  const languages = new Set(result.results.flatMap((r) => Object.keys(r.byLanguage)));
  if (languages.size > 1) {
    out.push('', 'per query language (passage level):');
    const langRows: string[][] = [];
    for (const r of result.results)
      for (const [lang, m] of Object.entries(r.byLanguage))
        langRows.push([r.variant, r.mode, lang, String(m.queries), ...metricCells(m)]);
    out.push(...table(['variant', 'mode', 'lang', 'queries', 'hit@1', 'hit@3', 'hit@5', 'hit@10', 'MRR@10'], langRows));
  } else if (languages.size === 1) {
    out.push(`query language: ${[...languages][0]} (all queries)`);
  }
  out.push(
    `time: build ${result.seconds.build.toFixed(1)} s, query embedding ${result.seconds.embedQueries.toFixed(1)} s, search ${result.seconds.search.toFixed(1)} s`,
  );
  return out.join('\n');
}

export interface FusionVerdict {
  better: 'rrf' | 'weighted' | undefined;
  /** Query-weighted mean MRR@10 over every set and variant, per fusion method. */
  mrr: { rrf: number; weighted: number };
  top1: { rrf: number; weighted: number };
  queries: number;
}

/** Which fusion did better over all sets (query-weighted), for configs/kb.yaml `fusion`. */
export function fusionVerdict(results: SetResult[]): FusionVerdict {
  const sum = { rrf: { mrr: 0, top1: 0, n: 0 }, weighted: { mrr: 0, top1: 0, n: 0 } };
  const add = (r: ModeResult) => {
    const key = r.mode === 'hybrid-rrf' ? 'rrf' : r.mode === 'hybrid-weighted' ? 'weighted' : undefined;
    if (!key) return;
    sum[key].mrr += r.passage.mrr10 * r.passage.queries;
    sum[key].top1 += r.passage.hit1 * r.passage.queries;
    sum[key].n += r.passage.queries;
  };
  for (const set of results) for (const r of set.results) add(r);
  const mean = (s: { mrr: number; top1: number; n: number }, k: 'mrr' | 'top1') => (s.n > 0 ? s[k] / s.n : Number.NaN);
  const mrr = { rrf: mean(sum.rrf, 'mrr'), weighted: mean(sum.weighted, 'mrr') };
  const top1 = { rrf: mean(sum.rrf, 'top1'), weighted: mean(sum.weighted, 'top1') };
  const better =
    sum.rrf.n === 0 || sum.weighted.n === 0
      ? undefined
      : mrr.weighted > mrr.rrf
        ? 'weighted'
        : mrr.rrf > mrr.weighted
          ? 'rrf'
          : undefined;
  return { better, mrr, top1, queries: sum.rrf.n };
}

export function formatVerdict(verdict: FusionVerdict, configured: string): string {
  if (!verdict.better && verdict.queries === 0) return 'fusion: no hybrid runs (no embedder), nothing to compare.';
  const line = `fusion over all sets (query-weighted): weighted MRR@10 ${f3(verdict.mrr.weighted)} top-1 ${f3(verdict.top1.weighted)} | rrf MRR@10 ${f3(verdict.mrr.rrf)} top-1 ${f3(verdict.top1.rrf)}`;
  const advice = verdict.better
    ? `→ recommended configs/kb.yaml fusion: ${verdict.better} (configured: ${configured})`
    : '→ no difference between the fusion methods';
  return `${line}\n${advice}`;
}

export interface ReferenceComparison {
  set: string;
  variant: string;
  ours: number;
  reference: number;
  /** RETRIEVAL.md figure for the set (whole passages), when it has one. */
  published?: number;
}

/** The configured default's MRR@10 against the reference fusion measured in the same run, per set and variant. */
export function referenceVerdict(results: SetResult[], defaultMode: string): ReferenceComparison[] {
  const rows: ReferenceComparison[] = [];
  for (const set of results) {
    for (const ours of set.results.filter((r) => r.mode === defaultMode)) {
      const reference = set.results.find((r) => r.mode === 'reference' && r.variant === ours.variant);
      if (!reference) continue;
      const published = ours.variant === 'whole passages' ? set.reference?.cells['hybrid-weighted']?.mrr10 : undefined;
      rows.push({ set: set.set, variant: ours.variant, ours: ours.passage.mrr10, reference: reference.passage.mrr10, published });
    }
  }
  return rows;
}

export function formatReferenceVerdict(rows: ReferenceComparison[], label: string): string {
  if (rows.length === 0) return 'verdict: no hybrid runs (no embedder), nothing to compare with the reference.';
  const margin = (r: ReferenceComparison) => r.ours - Math.max(r.reference, r.published ?? 0);
  const worst = rows.reduce((a, b) => (margin(b) < margin(a) ? b : a));
  // Differences below the printed precision are ties.
  const below = rows.filter((r) => margin(r) < -0.0005);
  const sign = (n: number) => `${n >= 0 ? '+' : '−'}${Math.abs(n).toFixed(3)}`;
  return below.length === 0
    ? `verdict: the default (${label}) matches or beats the reference on every set and variant (MRR@10; smallest margin ${sign(margin(worst))} on ${worst.set}, ${worst.variant}).`
    : `verdict: the default (${label}) is below the reference on ${below.length} of ${rows.length}: ${below
        .map((r) => `${r.set} ${r.variant} ${sign(margin(r))}`)
        .join('; ')}.`;
}

export function formatCrossValidation(rows: CvRow[], configured: string, allSetsChoice?: string): string {
  if (rows.length === 0) return '';
  const out = [
    '',
    `cross-validation (leave one set out; setting chosen on the others by smallest worst-case loss; configured: ${configured}):`,
  ];
  out.push(
    ...table(
      ['held-out set', 'chosen on the others', 'held-out MRR@10', "set's own best", 'its MRR@10'],
      rows.map((r) => [r.set, r.chosen, f3(r.heldOutMrr), r.best, f3(r.bestMrr)]),
    ),
  );
  if (allSetsChoice) out.push(`chosen on all sets together: ${allSetsChoice}`);
  return out.join('\n');
}

/** MRR@10 of each pooled setting (lists cut at the pool large KBs get), per set and variant, with the worst row. */
export function formatPooledGrid(results: SetResult[]): string {
  const rows = results.flatMap((r) => Object.entries(r.pooledGrid).map(([variant, scores]) => ({ set: r.set, variant, scores })));
  if (rows.length === 0) return '';
  const names = Object.keys(rows[0]?.scores ?? {});
  const worst = names.map((n) => f3(Math.min(...rows.map((r) => r.scores[n] ?? 0))));
  return [
    '',
    'KBs of 5,000 chunks and more: the same lists cut at the pool, MRR@10 by dense weight and BM25 floor:',
    ...table(
      ['set', 'variant', ...names],
      [...rows.map((r) => [r.set, r.variant, ...names.map((n) => f3(r.scores[n]))]), ['worst', '', ...worst]],
    ),
  ].join('\n');
}
