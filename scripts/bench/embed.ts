import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BatchLimits, planBatches } from '../../adapters/models/batching.js';
import { createTransformersEmbedder, DEFAULT_TRANSFORMERS_BATCH } from '../../adapters/models/embedder-transformers.js';
import { cosine, l2NormalizeInPlace } from '../../adapters/models/vector-math.js';
import type { Embedder } from '../../core/embedder.js';
import { SHARED_FIXTURES } from '../lib/shared-fixtures.js';
import type { BenchFn, BenchReport, BenchRow } from './harness.js';

const fixtures = SHARED_FIXTURES;
const MODEL_DIR = join(fixtures, 'models/bge-small-zh-v1.5');
const SENTENCES = join(fixtures, 'models/bench-sentences-zh50.txt');

interface TokenTensor {
  data: BigInt64Array;
  dims: number[];
}
type Tokenizer = (texts: string[], options: { padding: boolean; truncation: boolean }) => Record<string, TokenTensor>;

/** The same model driven directly: transformers' tokenizer, onnxruntime-node session, CLS pooling. */
async function rawOnnxEmbedder(limits: BatchLimits) {
  const ort = await import('onnxruntime-node');
  const { AutoTokenizer } = await import('@huggingface/transformers');
  const tokenizer = (await AutoTokenizer.from_pretrained(MODEL_DIR, { local_files_only: true })) as unknown as Tokenizer;
  const session = await ort.InferenceSession.create(join(MODEL_DIR, 'onnx/model_quantized.onnx'), {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
  });
  const countTokens = (texts: string[]): number => {
    let total = 0;
    for (const text of texts)
      total += Number(tokenizer([text], { padding: false, truncation: true }).attention_mask?.dims[1] ?? 0);
    return total;
  };
  const embed = async (raw: string[]): Promise<Float32Array[]> => {
    const texts = raw.map((t) => t.toLowerCase());
    const out: Float32Array[] = new Array(texts.length);
    for (const batch of planBatches(
      texts.map((t) => t.length),
      limits,
    )) {
      const encoded = tokenizer(
        batch.map((i) => texts[i] as string),
        { padding: true, truncation: true },
      );
      const feeds: Record<string, InstanceType<typeof ort.Tensor>> = {};
      for (const name of session.inputNames) {
        const t = encoded[name] as TokenTensor;
        feeds[name] = new ort.Tensor('int64', t.data, t.dims);
      }
      const result = await session.run(feeds);
      const hidden = result.last_hidden_state as InstanceType<typeof ort.Tensor>;
      const [, seq, dim] = hidden.dims as [number, number, number];
      const data = hidden.data as Float32Array;
      batch.forEach((index, row) => {
        out[index] = l2NormalizeInPlace(data.slice(row * seq * dim, row * seq * dim + dim));
      });
    }
    return out;
  };
  return { embed, countTokens };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** Median seconds of each, runs interleaved so background load hits both alike. */
async function timePair(repeats: number, a: () => Promise<unknown>, b: () => Promise<unknown>): Promise<[number, number]> {
  await a();
  await b();
  const [ta, tb]: [number[], number[]] = [[], []];
  for (let i = 0; i < repeats; i++) {
    for (const [fn, times] of [
      [a, ta],
      [b, tb],
    ] as const) {
      const t = performance.now();
      await fn();
      times.push((performance.now() - t) / 1000);
    }
  }
  return [median(ta), median(tb)];
}

/** ~`size`-character passages assembled from the benchmark sentences (varied lengths). */
function passages(sentences: string[], size: number, count: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    let text = '';
    for (let k = i; text.length < size * (0.6 + (0.8 * i) / count); k += 7) text += sentences[k % sentences.length];
    out.push(text);
  }
  return out;
}

export const run: BenchFn = async ({ quick }): Promise<BenchReport> => {
  const report: BenchReport = { name: 'embed', rows: [], notes: [] };
  if (!existsSync(MODEL_DIR) || !existsSync(SENTENCES)) {
    report.notes.push(`skipped: reference fixtures not found under ${fixtures}`);
    return report;
  }
  const sentences = readFileSync(SENTENCES, 'utf8').split('\n').filter(Boolean);
  const corpora: Array<[string, string[]]> = [
    ['short sentences', sentences],
    ['~250-char passages', passages(sentences, 250, quick ? 16 : 40)],
  ];
  const repeats = quick ? 2 : 7;
  const cacheDir = mkdtempSync(join(tmpdir(), 'teamkb-bench-'));
  const strategies: Array<[string, BatchLimits]> = [
    ['default batching', DEFAULT_TRANSFORMERS_BATCH],
    ['one at a time', { maxBatchSize: 1, maxBatchChars: 1 }],
  ];
  for (const [strategy, limits] of strategies) {
    const ours: Embedder = await createTransformersEmbedder({
      model: MODEL_DIR,
      name: 'bge-small-zh-v1.5',
      cacheDir,
      threads: 1,
      ...limits,
    });
    const raw = await rawOnnxEmbedder(limits);
    for (const [corpus, texts] of corpora) {
      const tokens = raw.countTokens(texts.map((t) => t.toLowerCase()));
      const [oursSeconds, rawSeconds] = await timePair(
        repeats,
        () => ours.embed(texts, 'passage'),
        () => raw.embed(texts),
      );
      const [a, b] = [await ours.embed(texts, 'passage'), await raw.embed(texts)];
      const agreement = Math.min(...a.map((v, i) => cosine(v, b[i] as Float32Array)));
      const label = `${corpus}, ${strategy}`;
      const rows: BenchRow[] = [
        {
          name: `${label}: texts/s`,
          value: texts.length / oursSeconds,
          unit: 'texts/s',
          baseline: texts.length / rawSeconds,
          baselineName: 'raw onnxruntime',
        },
        {
          name: `${label}: tokens/s`,
          value: tokens / oursSeconds,
          unit: 'tokens/s',
          baseline: tokens / rawSeconds,
          baselineName: 'raw onnxruntime',
        },
      ];
      report.rows.push(...rows);
      report.notes.push(`${label}: ${texts.length} texts, ${tokens} tokens, min cosine ours vs raw ${agreement.toFixed(5)}`);
    }
    await ours.close?.();
  }
  report.notes.push('bge-small-zh-v1.5 int8 ONNX, 1 intra-op thread, same batches for both; ratio < 1 is our overhead.');
  return report;
};
