import type { Chunk } from '../../core/chunk.js';
import type { Embedder } from '../../core/embedder.js';
import type { Reranker } from '../../core/reranker.js';
import { DEFAULT_DENSE_WEIGHT } from '../../core/retrieval/fusion.js';
import { expandHits } from '../../core/retrieval/neighbours.js';
import type { Hit, VectorStore } from '../../core/vector-store.js';
import { buildEvalKb, type ChunkVariant, embedAll, passageChunks, variantLabel } from './corpus-kb.js';
import { type QaSet, queryLanguage } from './dataset.js';
import { FUSION_GRID, POOLED_GRID, referenceFusion, replayHybrid, replayPooled } from './fusion-grid.js';
import { answerChunkRank, passageRank, RankAccumulator, type RankedChunk, type RankMetrics } from './metrics.js';
import { type ReferenceRow, referenceFor } from './references.js';

/** `reference`: the RETRIEVAL.md reference fusion (min-max 0.5/0.5 over complete lists), measured here. */
export type EvalMode = 'bm25' | 'dense' | 'hybrid-rrf' | 'hybrid-weighted' | 'reference' | 'reranked';

export type { Reranker } from '../../core/reranker.js';

export interface EvalOptions {
  store: VectorStore;
  /** null: keyword-only (bm25). */
  embedder: Embedder | null;
  variants: ChunkVariant[];
  withTitle?: boolean;
  denseWeight?: number;
  rrfK?: number;
  /** Neighbouring chunks joined to each hit on each side for the "answer in window" figures (default 1). */
  neighbours?: number;
  /** Chunks retrieved per query before mapping to passages (default 50; hybrid fetches 4x this from each retriever). */
  depth?: number;
  /** Modes to run; default every mode the embedder/reranker allow. */
  modes?: EvalMode[];
  reranker?: Reranker;
  /** Ranking the reranker reorders (default: weighted fusion, or bm25 without an embedder). */
  rerankBase?: 'bm25' | 'hybrid-rrf' | 'hybrid-weighted';
  /** Candidates handed to the reranker per query (default 20). */
  rerankDepth?: number;
  log?: (message: string) => void;
}

export interface ModeResult {
  mode: EvalMode;
  variant: string;
  /** Passage level: a hit is any chunk of a positive passage. */
  passage: RankMetrics;
  byLanguage: Record<string, RankMetrics>;
  /** Chunk level: a hit is a chunk of a positive passage that holds an answer string (chunked variants). */
  answerChunk?: RankMetrics;
  /** The same with each hit widened by its neighbouring chunks, as search shows and cites it. */
  answerWindow?: RankMetrics;
  /** Search time per query, without query embedding. */
  msPerQuery: number;
}

export interface SetResult {
  set: string;
  passages: number;
  queries: number;
  droppedQueries: number;
  embedder: string;
  reranker?: string;
  chunks: Record<string, number>;
  results: ModeResult[];
  reference?: ReferenceRow;
  /** Variant label → fusion grid setting → passage MRR@10, replayed on the same lists (cross-validation). */
  grid: Record<string, Record<string, number>>;
  /** The same for lists cut at the pool a KB of COMPLETE_LISTS_BELOW_CHUNKS chunks or more gets (POOLED_GRID). */
  pooledGrid: Record<string, Record<string, number>>;
  seconds: { build: number; embedQueries: number; search: number };
}

const toRanked = (hits: Hit[]): RankedChunk[] => hits.map((h) => ({ passageId: h.chunk.fileId, text: h.chunk.text }));

interface Tally {
  passage: RankAccumulator;
  answer: RankAccumulator;
  window: RankAccumulator;
  languages: Map<string, RankAccumulator>;
  ms: number;
}

const newTally = (): Tally => ({
  passage: new RankAccumulator(),
  answer: new RankAccumulator(),
  window: new RankAccumulator(),
  languages: new Map(),
  ms: 0,
});

export function availableModes(embedder: Embedder | null, reranker?: Reranker): EvalMode[] {
  const modes: EvalMode[] = embedder ? ['bm25', 'dense', 'hybrid-rrf', 'hybrid-weighted', 'reference'] : ['bm25'];
  return reranker ? [...modes, 'reranked'] : modes;
}

async function rerank(reranker: Reranker, query: string, hits: Hit[]): Promise<Hit[]> {
  if (hits.length === 0) return [];
  const scores = await reranker.rerank(
    query,
    hits.map((h) => h.chunk.text),
  );
  return hits.map((h, i) => ({ chunk: h.chunk, score: scores[i] ?? 0 })).sort((a, b) => b.score - a.score);
}

/** Builds a KB per chunk variant from the set's corpus, runs every query in every mode, scores passage hits. */
export async function evaluateSet(set: QaSet & { droppedQueries?: number }, opts: EvalOptions): Promise<SetResult> {
  const { store, embedder } = opts;
  const log = opts.log ?? (() => undefined);
  const allowed = availableModes(embedder, opts.reranker);
  const modes = (opts.modes ?? allowed).filter((m) => allowed.includes(m));
  const depth = opts.depth ?? 50;
  const needsDense = modes.some((m) => m !== 'bm25');
  const seconds = { build: 0, embedQueries: 0, search: 0 };

  let queryVectors: Float32Array[] = [];
  if (embedder && needsDense) {
    const t = performance.now();
    queryVectors = await embedAll(
      embedder,
      set.queries.map((q) => q.question),
      'query',
    );
    seconds.embedQueries = (performance.now() - t) / 1000;
  }

  const results: ModeResult[] = [];
  const grid: Record<string, Record<string, number>> = {};
  const pooledGrid: Record<string, Record<string, number>> = {};
  const chunkCounts: Record<string, number> = {};
  for (const [variantIndex, variant] of opts.variants.entries()) {
    const label = variantLabel(variant);
    const kb = `eval_${set.name.replace(/[^A-Za-z0-9_]/g, '_')}_${variantIndex}`.slice(0, 60);
    const chunks = passageChunks(set.passages, variant, opts.withTitle);
    chunkCounts[label] = chunks.length;
    let t = performance.now();
    log(`${set.name}: indexing ${chunks.length} chunks (${label})…`);
    await buildEvalKb(store, kb, chunks, needsDense ? embedder : null, (done, total) => {
      if (done === total || done % 512 === 0) log(`${set.name}: embedded ${done}/${total} chunks`);
    });
    seconds.build += (performance.now() - t) / 1000;

    const tallies = new Map<EvalMode, Tally>(modes.map((m) => [m, newTally()]));
    const gridTallies = new Map(FUSION_GRID.map((g) => [g.name, new RankAccumulator()]));
    const pooledTallies = new Map(POOLED_GRID.map((g) => [g.name, new RankAccumulator()]));
    const byPlace = new Map(chunks.map((c) => [`${c.fileId}#${c.ordinal}`, c as Chunk]));
    const lookup = async (fileId: string, ordinals: number[]) => ordinals.flatMap((o) => byPlace.get(`${fileId}#${o}`) ?? []);
    // Complete lists, fetched once per query and untimed: the reference fusion reads them whole and
    // the fusion grid replays the store's hybrid search on them.
    const wantsLists = vectorsNeeded(modes) && embedder !== null;
    t = performance.now();
    for (const [index, query] of set.queries.entries()) {
      const positives = new Set(query.positiveIds);
      const language = queryLanguage(query.question);
      const vector = queryVectors[index];
      const timed = async (fn: () => Promise<Hit[]>): Promise<[Hit[], number]> => {
        const started = performance.now();
        const hits = await fn();
        return [hits, performance.now() - started];
      };
      const rerankBase = opts.rerankBase ?? (vector ? 'hybrid-weighted' : 'bm25');
      const [bm25, bm25Ms] =
        modes.includes('bm25') || (modes.includes('reranked') && rerankBase === 'bm25')
          ? await timed(() => store.search(kb, { mode: 'bm25', text: query.question, topK: depth }))
          : [[], 0];
      const [dense, denseMs] =
        modes.includes('dense') && vector ? await timed(() => store.search(kb, { mode: 'dense', vector, topK: depth })) : [[], 0];
      const ranked = new Map<EvalMode, [Hit[], number]>();
      ranked.set('bm25', [bm25, bm25Ms]);
      ranked.set('dense', [dense, denseMs]);
      for (const method of ['rrf', 'weighted'] as const) {
        if (!vector || !modes.some((m) => m === `hybrid-${method}` || (m === 'reranked' && rerankBase === `hybrid-${method}`)))
          continue;
        const fusion = { method, denseWeight: opts.denseWeight ?? DEFAULT_DENSE_WEIGHT, k: opts.rrfK };
        ranked.set(
          `hybrid-${method}`,
          await timed(() => store.search(kb, { mode: 'hybrid', text: query.question, vector, topK: depth, fusion })),
        );
      }
      if (wantsLists && vector) {
        const all = chunks.length;
        const [denseAll, bm25All] = await Promise.all([
          store.search(kb, { mode: 'dense', vector, topK: all }),
          store.search(kb, { mode: 'bm25', text: query.question, topK: all }),
        ]);
        if (modes.includes('reference')) ranked.set('reference', [referenceFusion(denseAll, bm25All, depth), 0]);
        for (const g of FUSION_GRID)
          gridTallies.get(g.name)?.add(passageRank(toRanked(replayHybrid(denseAll, bm25All, g.fusion, depth, all)), positives));
        for (const g of POOLED_GRID)
          pooledTallies.get(g.name)?.add(passageRank(toRanked(replayPooled(denseAll, bm25All, g.fusion, depth)), positives));
      }
      if (opts.reranker && modes.includes('reranked')) {
        const [base, baseMs] = ranked.get(rerankBase) ?? [[], 0];
        const candidates = base.slice(0, opts.rerankDepth ?? 20);
        const [reordered, ms] = await timed(() => rerank(opts.reranker as Reranker, query.question, candidates));
        ranked.set('reranked', [reordered, baseMs + ms]);
      }
      for (const mode of modes) {
        const [hits, ms] = ranked.get(mode) as [Hit[], number];
        const tally = tallies.get(mode) as Tally;
        const list = toRanked(hits);
        const rank = passageRank(list, positives);
        tally.passage.add(rank);
        tally.answer.add(answerChunkRank(list, positives, query.answers));
        if (variant.kind === 'chunks') {
          const windows = await expandHits(hits.slice(0, 10), opts.neighbours ?? 1, lookup);
          tally.window.add(answerChunkRank(toRanked(windows), positives, query.answers));
        }
        if (!tally.languages.has(language)) tally.languages.set(language, new RankAccumulator());
        tally.languages.get(language)?.add(rank);
        tally.ms += ms;
      }
      if ((index + 1) % 500 === 0) log(`${set.name}: ${index + 1}/${set.queries.length} queries (${label})`);
    }
    seconds.search += (performance.now() - t) / 1000;
    if (wantsLists) {
      grid[label] = Object.fromEntries([...gridTallies].map(([name, acc]) => [name, acc.result().mrr10]));
      pooledGrid[label] = Object.fromEntries([...pooledTallies].map(([name, acc]) => [name, acc.result().mrr10]));
    }
    await store.drop(kb).catch(() => undefined);

    for (const mode of modes) {
      const tally = tallies.get(mode) as Tally;
      results.push({
        mode,
        variant: label,
        passage: tally.passage.result(),
        byLanguage: Object.fromEntries([...tally.languages].map(([lang, acc]) => [lang, acc.result()])),
        answerChunk: variant.kind === 'chunks' ? tally.answer.result() : undefined,
        answerWindow: variant.kind === 'chunks' ? tally.window.result() : undefined,
        msPerQuery: set.queries.length > 0 ? tally.ms / set.queries.length : 0,
      });
    }
  }
  return {
    set: set.name,
    passages: set.passages.length,
    queries: set.queries.length,
    droppedQueries: set.droppedQueries ?? 0,
    embedder: embedder?.id ?? 'none (keyword-only)',
    reranker: modes.includes('reranked') ? opts.reranker?.id : undefined,
    chunks: chunkCounts,
    results,
    reference: referenceFor(set.name),
    grid,
    pooledGrid,
    seconds,
  };
}

function vectorsNeeded(modes: EvalMode[]): boolean {
  return modes.some((m) => m !== 'bm25');
}
