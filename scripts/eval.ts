import { resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { loadConfig } from '../core/config/load.js';
import { describeError } from '../core/errors.js';
import { DEFAULT_DENSE_WEIGHT } from '../core/retrieval/fusion.js';
import { gridName, minimaxRegret } from './eval/fusion-grid.js';
import {
  crossValidate,
  DEFAULT_EVAL_DATA,
  EMBED_CACHE_DIR,
  type EvalMode,
  formatCrossValidation,
  formatPooledGrid,
  formatReferenceVerdict,
  formatSetResult,
  formatVerdict,
  fusionVerdict,
  openEmbedder,
  openReranker,
  referenceVerdict,
  resolveEmbedderSpec,
  resolveRerankerSpec,
  runEval,
  SHARED_FIXTURES,
} from './eval/lib.js';

const positiveInt = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a whole number above 0');
  return n;
};

const MODES: EvalMode[] = ['bm25', 'dense', 'hybrid-rrf', 'hybrid-weighted', 'reference', 'reranked'];

function kbDefaults(): { chunkSize: number; chunkOverlap: number; fusion: 'weighted' | 'rrf'; denseWeight: number } {
  try {
    const { kb } = loadConfig();
    return { chunkSize: kb.chunkSize, chunkOverlap: kb.chunkOverlap, fusion: kb.fusion, denseWeight: kb.denseWeight };
  } catch (err) {
    console.error(`[notice] configuration not readable (${describeError(err)}); using chunk size 500, overlap 80`);
    return { chunkSize: 500, chunkOverlap: 80, fusion: 'weighted', denseWeight: DEFAULT_DENSE_WEIGHT };
  }
}

/** Model settings from the configuration (model.yaml, TEAMKB_EMBEDDER, TEAMKB_RERANKER, TEAMKB_THREADS, TEAMKB_MODELS_DIR). */
function modelDefaults(): { embedder?: string; reranker?: string; threads?: number; modelsDir?: string } {
  try {
    const { model } = loadConfig();
    return {
      embedder: model.embedder,
      reranker: model.reranker,
      threads: model.threads || undefined,
      modelsDir: model.modelsDir,
    };
  } catch {
    return {};
  }
}

interface CliOptions {
  data: string;
  json?: boolean;
  embedder?: string;
  reranker?: string;
  limit?: number;
  chunkSize?: number;
  chunkOverlap?: number;
  title?: boolean;
  modes?: string;
  threads?: number;
  whole: boolean;
  chunks: boolean;
  built: boolean;
  cache: boolean;
}

const program = new Command('eval')
  .description('Retrieval quality (hit@k, MRR@10) of bm25, dense and hybrid search on QA sets (corpus.jsonl + queries.jsonl).')
  .option('--data <dir>', 'a QA set folder, or a folder of them', DEFAULT_EVAL_DATA)
  .option('--json', 'print results as JSON')
  .option('--embedder <spec>', 'embedder spec (default: TEAMKB_EMBEDDER, else the bge-small-zh reference model)')
  .option('--reranker <spec>', 'reranker spec for the reranked mode (default: TEAMKB_RERANKER, else none)')
  .option('--limit <n>', 'first N queries of each set', positiveInt)
  .option('--chunk-size <n>', 'characters per chunk (default: configs/kb.yaml chunkSize)', positiveInt)
  .option('--chunk-overlap <n>', 'overlap between chunks (default: configs/kb.yaml chunkOverlap)', (v) => Number(v))
  .option('--title', 'index each passage with its title as the section heading')
  .option('--modes <list>', `comma-separated subset of ${MODES.join(', ')}`)
  .option('--threads <n>', 'CPU threads for the embedder (default: TEAMKB_THREADS, else half the cores)', positiveInt)
  .option('--no-whole', 'skip the whole-passage variant')
  .option('--no-chunks', 'skip the chunked variant')
  .option('--no-built', 'skip the sets built from other fixture material (near-duplicates, English, mixed)')
  .option('--no-cache', `embed again instead of reusing vectors kept in ${EMBED_CACHE_DIR}`)
  .showHelpAfterError();

async function main(o: CliOptions): Promise<void> {
  const defaults = kbDefaults();
  const chunkSize = o.chunkSize ?? defaults.chunkSize;
  const chunkOverlap = Math.min(o.chunkOverlap ?? defaults.chunkOverlap, Math.floor(chunkSize / 2));
  const modes = o.modes?.split(',').map((m) => m.trim()) as EvalMode[] | undefined;
  const unknown = modes?.filter((m) => !MODES.includes(m));
  if (unknown && unknown.length > 0) throw new InvalidArgumentError(`unknown mode(s): ${unknown.join(', ')}`);
  const configured = modelDefaults();
  const { spec, notice } = resolveEmbedderSpec(o.embedder, configured.embedder);
  if (notice) console.error(`[notice] ${notice}`);
  const log = (message: string) => {
    if (!o.json) console.error(message);
  };
  log(`embedder: ${spec}`);
  const threads = o.threads ?? configured.threads;
  const embedder = await openEmbedder(spec, threads, o.cache ? EMBED_CACHE_DIR : undefined, configured.modelsDir);
  const rerankerSpec = resolveRerankerSpec(o.reranker, configured.reranker);
  let reranker: Awaited<ReturnType<typeof openReranker>> = null;
  try {
    reranker = await openReranker(rerankerSpec, threads, configured.modelsDir);
  } catch (err) {
    await embedder?.close?.();
    throw err;
  }
  if (reranker) log(`reranker: ${reranker.id}`);
  else if (modes?.includes('reranked'))
    console.error('[notice] no reranker configured (--reranker or TEAMKB_RERANKER); reranked mode skipped');
  try {
    const results = await runEval({
      data: resolve(o.data),
      embedder,
      chunkSize,
      chunkOverlap,
      limit: o.limit,
      withTitle: o.title,
      denseWeight: defaults.denseWeight,
      builtFrom: o.built && resolve(o.data) === resolve(DEFAULT_EVAL_DATA) ? SHARED_FIXTURES : undefined,
      modes,
      reranker: reranker ?? undefined,
      wholePassages: o.whole,
      chunked: o.chunks,
      log,
      onSet: (result) => {
        if (!o.json) console.log(formatSetResult(result));
      },
    });
    const verdict = fusionVerdict(results);
    const configured = gridName({ method: defaults.fusion, denseWeight: defaults.denseWeight });
    const grid = Object.fromEntries(
      results
        .filter((r) => Object.keys(r.grid).length > 0)
        .map((r) => {
          const variants = Object.values(r.grid);
          const names = Object.keys(variants[0] ?? {});
          return [r.set, Object.fromEntries(names.map((n) => [n, mean(variants.map((v) => v[n] ?? 0))]))];
        }),
    );
    const cv = crossValidate(grid);
    const vsReference = referenceVerdict(results, `hybrid-${defaults.fusion}`);
    if (o.json)
      console.log(
        JSON.stringify(
          { embedder: spec, reranker: reranker?.id ?? null, chunkSize, chunkOverlap, results, verdict, cv, vsReference },
          null,
          2,
        ),
      );
    else {
      console.log(formatPooledGrid(results));
      console.log(formatCrossValidation(cv, configured, cv.length > 0 ? minimaxRegret(grid, Object.keys(grid)) : undefined));
      console.log(`\n${formatVerdict(verdict, defaults.fusion)}`);
      console.log(formatReferenceVerdict(vsReference, configured));
    }
  } finally {
    await embedder?.close?.();
    await reranker?.close?.();
  }
}

const mean = (values: number[]) => (values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length);

program.action(async (o: CliOptions) => {
  try {
    await main(o);
  } catch (err) {
    console.error(describeError(err));
    process.exitCode = 1;
  }
});

await program.parseAsync();
