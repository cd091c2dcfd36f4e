import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmbeddedStore } from '../../adapters/stores/embedded/index.js';
import type { Embedder } from '../../core/embedder.js';
import { englishDocsSet, mixedSet, nearDuplicateSet } from './built-sets.js';
import type { ChunkVariant } from './corpus-kb.js';
import { findQaSets, loadQaSet, type QaSet } from './dataset.js';
import { type EvalMode, evaluateSet, type Reranker, type SetResult } from './run-set.js';

export type { ChunkVariant } from './corpus-kb.js';
export { findQaSets, loadQaSet, type QaSet } from './dataset.js';
export {
  DEFAULT_EVAL_DATA,
  EMBED_CACHE_DIR,
  FIXTURE_EMBEDDER_DIR,
  openEmbedder,
  resolveEmbedderSpec,
  SHARED_FIXTURES,
} from './embedder.js';
export { type CvRow, crossValidate } from './fusion-grid.js';
export type { RankMetrics } from './metrics.js';
export {
  formatCrossValidation,
  formatPooledGrid,
  formatReferenceVerdict,
  formatSetResult,
  formatVerdict,
  fusionVerdict,
  referenceVerdict,
} from './report.js';
export { openReranker, resolveRerankerSpec } from './reranker.js';
export { type EvalMode, evaluateSet, type ModeResult, type Reranker, type SetResult } from './run-set.js';

export interface RunEvalOptions {
  /** A QA set folder, or a folder of them. */
  data: string;
  embedder: Embedder | null;
  chunkSize: number;
  chunkOverlap: number;
  /** Also index each passage whole (default true). */
  wholePassages?: boolean;
  /** Also index passages split at chunkSize (default true). */
  chunked?: boolean;
  limit?: number;
  withTitle?: boolean;
  denseWeight?: number;
  /** Also build sets from other fixture material (see built-sets.ts) rooted at this fixtures folder. */
  builtFrom?: string;
  modes?: EvalMode[];
  reranker?: Reranker;
  log?: (message: string) => void;
  onSet?: (result: SetResult) => void;
}

/** Evaluates every QA set under `data` in a throw-away embedded store. */
export async function runEval(opts: RunEvalOptions): Promise<SetResult[]> {
  const dirs = findQaSets(opts.data);
  const variants: ChunkVariant[] = [];
  if (opts.chunked ?? true) variants.push({ kind: 'chunks', chunkSize: opts.chunkSize, chunkOverlap: opts.chunkOverlap });
  if (opts.wholePassages ?? true) variants.push({ kind: 'whole' });
  const dir = mkdtempSync(join(tmpdir(), 'teamkb-eval-'));
  const store = await createEmbeddedStore({ dir });
  const results: SetResult[] = [];
  try {
    for (const set of await allSets(dirs, opts)) {
      const result = await evaluateSet(set, {
        store,
        embedder: opts.embedder,
        variants,
        withTitle: opts.withTitle,
        denseWeight: opts.denseWeight,
        modes: opts.modes,
        reranker: opts.reranker,
        log: opts.log,
      });
      results.push(result);
      opts.onSet?.(result);
    }
  } finally {
    await store.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

/** The QA sets under `data`, then (with builtFrom) their near-duplicate versions, English and mixed sets. */
async function allSets(dirs: string[], opts: RunEvalOptions): Promise<Array<QaSet & { droppedQueries?: number }>> {
  const loaded = dirs.map((dir) => loadQaSet(dir, { limit: opts.limit }));
  if (!opts.builtFrom) return loaded;
  const built: QaSet[] = loaded.map(nearDuplicateSet);
  const english = await englishDocsSet(opts.builtFrom);
  if (english) {
    const limited = opts.limit ? { ...english, queries: english.queries.slice(0, opts.limit) } : english;
    built.push(limited);
    if (loaded[0]) built.push(mixedSet(loaded[0], limited, Math.min(300, opts.limit ?? 300)));
  }
  return [...loaded, ...built];
}
