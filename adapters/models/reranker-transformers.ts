import { TeamKbError } from '../../core/errors.js';
import type { Reranker } from '../../core/reranker.js';
import { type BatchLimits, planBatches } from './batching.js';
import { throwIfAborted } from './cancel.js';
import { type ModelLogger, silentLogger } from './logger.js';
import { createSerialRunner } from './serial.js';
import { cpuModelOptions, loadTransformers, transformersLoadFailure } from './transformers-runtime.js';

export interface TransformersRerankerOptions extends Partial<BatchLimits> {
  /** Absolute model folder, or a Hugging Face id (downloaded into cacheDir when allowDownload). */
  model: string;
  /** Stable name used in the id, e.g. "bge-reranker-base". */
  name: string;
  /** Where Hugging Face ids are looked up and cached (the models dir). */
  cacheDir: string;
  allowDownload?: boolean;
  /** ONNX Runtime intra-op threads. */
  threads: number;
  /** Tokens per query–passage pair; longer pairs lose the end of the passage. */
  maxTokens?: number;
  logger?: ModelLogger;
}

/** Pairs are as long as a chunk plus the query, so batches stay small: padding costs more than it saves on CPU. */
export const DEFAULT_RERANKER_BATCH: BatchLimits = { maxBatchSize: 8, maxBatchChars: 2048 };

interface LogitsTensor {
  data: ArrayLike<number>;
  dims: number[];
}

type PairTokenizer = (
  queries: string[],
  options: { text_pair: string[]; padding: boolean; truncation: boolean; max_length: number },
) => Record<string, unknown>;

interface Classifier {
  (inputs: Record<string, unknown>): Promise<{ logits?: LogitsTensor }>;
  dispose(): Promise<unknown>;
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/**
 * One relevance per row: sigmoid of the single logit (bge-reranker and most cross-encoders), or for
 * classifier heads with several labels the softmax probability of the last label ("relevant").
 */
export function relevanceFromLogits(logits: LogitsTensor, rows: number): number[] {
  const width = logits.dims[logits.dims.length - 1] ?? 1;
  const scores: number[] = [];
  for (let row = 0; row < rows; row++) {
    const values = Array.from({ length: width }, (_, i) => Number(logits.data[row * width + i]));
    if (width === 1) {
      scores.push(sigmoid(values[0] as number));
      continue;
    }
    const top = Math.max(...values);
    const exps = values.map((v) => Math.exp(v - top));
    scores.push((exps[width - 1] as number) / exps.reduce((a, b) => a + b, 0));
  }
  return scores;
}

function loadFailure(model: string, err: unknown, allowDownload: boolean): TeamKbError {
  return transformersLoadFailure('Reranker', model, err, allowDownload, 'RERANKER_UNAVAILABLE');
}

/** Cross-encoder relevance through @huggingface/transformers (int8 ONNX, CPU). */
export async function createTransformersReranker(options: TransformersRerankerOptions): Promise<Reranker> {
  const logger = options.logger ?? silentLogger;
  const { AutoTokenizer, AutoModelForSequenceClassification } = await loadTransformers(options);
  const started = performance.now();
  let tokenizer: PairTokenizer;
  let classifier: Classifier;
  try {
    tokenizer = (await AutoTokenizer.from_pretrained(options.model)) as unknown as PairTokenizer;
    classifier = (await AutoModelForSequenceClassification.from_pretrained(
      options.model,
      cpuModelOptions(options.threads),
    )) as unknown as Classifier;
  } catch (err) {
    throw loadFailure(options.model, err, options.allowDownload === true);
  }
  const maxTokens = options.maxTokens ?? 512;
  const limits: BatchLimits = {
    maxBatchSize: options.maxBatchSize ?? DEFAULT_RERANKER_BATCH.maxBatchSize,
    maxBatchChars: options.maxBatchChars ?? DEFAULT_RERANKER_BATCH.maxBatchChars,
  };
  const serial = createSerialRunner();

  const run = async (query: string, passages: string[]): Promise<number[]> => {
    const inputs = tokenizer(
      passages.map(() => query),
      { text_pair: passages, padding: true, truncation: true, max_length: maxTokens },
    );
    const { logits } = await classifier(inputs);
    if (!logits) {
      throw new TeamKbError(
        'RERANKER_UNAVAILABLE',
        `Model "${options.name}" has no classification head, so it cannot rerank (is it an embedding model?)`,
      );
    }
    return relevanceFromLogits(logits, passages.length);
  };

  try {
    await run('query', ['passage']);
  } catch (err) {
    await classifier.dispose().catch(() => undefined);
    if (err instanceof TeamKbError) throw err;
    throw loadFailure(options.model, err, false);
  }
  logger.info(
    `Reranker transformers:${options.name} loaded in ${Math.round(performance.now() - started)} ms (${options.threads} thread(s))`,
  );

  return {
    id: `transformers:${options.name}`,
    rerank(query: string, passages: string[], signal?: AbortSignal): Promise<number[]> {
      return serial(async () => {
        const scores: number[] = new Array(passages.length);
        const lengths = passages.map((p) => query.length + p.length);
        for (const batch of planBatches(lengths, limits)) {
          throwIfAborted(signal, 'Reranking');
          const result = await run(
            query,
            batch.map((i) => passages[i] as string),
          );
          batch.forEach((index, row) => {
            scores[index] = result[row] as number;
          });
        }
        return scores;
      });
    },
    async close() {
      await classifier.dispose();
    },
  };
}
