import type { LlamaEmbeddingContext, LlamaModel, Token } from 'node-llama-cpp';
import type { Embedder, EmbedKind } from '../../core/embedder.js';
import { TeamKbError } from '../../core/errors.js';
import { throwIfAborted } from './cancel.js';
import { embedderFamily, type FamilyOptions, prepareText } from './embedder-family.js';
import { acquireLlamaModel, type GpuSetting, releaseLlamaModel } from './llama-runtime.js';
import { type ModelLogger, silentLogger } from './logger.js';
import { createSerialRunner } from './serial.js';
import { l2NormalizeInPlace } from './vector-math.js';

export interface LlamaEmbedderOptions extends FamilyOptions {
  modelPath: string;
  /** Stable name used in the id, e.g. "bge-small-zh-v1.5-q8_0". */
  name: string;
  threads: number;
  /** Tokens per text; defaults to (and is capped by) the model's training context. */
  contextSize?: number;
  gpu?: GpuSetting;
  logger?: ModelLogger;
}

/** Tokens for one text, truncated to fit: the context must hold them plus [CLS]/[SEP] (or BOS/EOS) with one to spare. */
function tokensFor(model: LlamaModel, text: string, contextSize: number): Token[] {
  const tokens = model.tokenize(text);
  if (tokens.length === 0 && model.tokens.bos !== null) return [model.tokens.bos];
  return tokens.length > contextSize - 3 ? tokens.slice(0, contextSize - 3) : tokens;
}

/** GGUF embedding models through node-llama-cpp; one context, texts embedded one at a time. */
export async function createLlamaEmbedder(options: LlamaEmbedderOptions): Promise<Embedder> {
  const logger = options.logger ?? silentLogger;
  const started = performance.now();
  const model = await acquireLlamaModel(options.modelPath, options);
  let context: LlamaEmbeddingContext;
  const contextSize = Math.min(options.contextSize ?? model.trainContextSize, model.trainContextSize);
  try {
    context = await model.createEmbeddingContext({ contextSize, threads: options.threads });
  } catch (err) {
    await releaseLlamaModel(options.modelPath);
    throw new TeamKbError(
      'EMBEDDER_UNAVAILABLE',
      `${options.modelPath} cannot produce embeddings (${(err as Error).message?.split('\n')[0]})`,
      { cause: err },
    );
  }
  const family = embedderFamily(options.name, options);
  const serial = createSerialRunner();
  const dim = model.embeddingVectorSize;

  const embedOne = async (text: string): Promise<Float32Array> => {
    const { vector } = await context.getEmbeddingFor(tokensFor(model, text, contextSize));
    const result = new Float32Array(dim);
    if (vector.length === dim) result.set(vector);
    else result[0] = 1; // no tokens at all (model without BOS): a fixed unit vector
    return l2NormalizeInPlace(result);
  };

  logger.info(
    `Embedder llama:${options.name} loaded in ${Math.round(performance.now() - started)} ms (${dim} dims, ${options.threads} thread(s))`,
  );
  let closed = false;
  return {
    id: `llama:${options.name}`,
    dim,
    embed(texts: string[], kind: EmbedKind, signal?: AbortSignal): Promise<Float32Array[]> {
      return serial(async () => {
        const vectors: Float32Array[] = [];
        for (const text of texts) {
          throwIfAborted(signal, 'Embedding');
          vectors.push(await embedOne(prepareText(family, text, kind)));
        }
        return vectors;
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      await context.dispose();
      await releaseLlamaModel(options.modelPath);
    },
  };
}
