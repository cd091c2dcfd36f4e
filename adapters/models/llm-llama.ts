import {
  type ChatHistoryItem,
  LlamaChat,
  type LlamaContext,
  type LlamaContextSequence,
  resolveChatWrapper,
} from 'node-llama-cpp';
import { TeamKbError } from '../../core/errors.js';
import type { LlmPart, LlmRequest } from '../../core/llm.js';
import type { ToolCallingLlm } from '../../core/tool-llm.js';
import { cancelledError } from './cancel.js';
import { toChatHistory } from './llama-history.js';
import { acquireLlamaModel, type GpuSetting, getLlamaRuntime, releaseLlamaModel } from './llama-runtime.js';
import { llamaTokens } from './llama-tokens.js';
import { llamaToolChat } from './llama-tool-chat.js';
import { type ModelLogger, silentLogger } from './logger.js';
import { PushQueue } from './push-queue.js';
import { ResourcePool } from './sequence-pool.js';

export interface LlamaLlmOptions {
  modelPath: string;
  /** Stable name used in the id, e.g. "qwen2.5-1.5b-instruct-q4_k_m". */
  name: string;
  threads: number;
  /** Tokens per request (prompt + answer); default 4096, capped by the model's training context. */
  contextSize?: number;
  /** Requests generated at the same time (one context sequence each); more wait in line. Default 1 on CPU, 4 on GPU. */
  parallel?: number;
  gpu?: GpuSetting;
  logger?: ModelLogger;
}

/** A GGUF chat model through node-llama-cpp: one model and one context per process, requests queued per sequence. */
export async function createLlamaLlm(options: LlamaLlmOptions): Promise<ToolCallingLlm> {
  const logger = options.logger ?? silentLogger;
  const started = performance.now();
  const llama = await getLlamaRuntime(options);
  const model = await acquireLlamaModel(options.modelPath, options);
  const contextSize = Math.min(options.contextSize ?? 4096, model.trainContextSize);
  const parallel = Math.max(1, options.parallel ?? (llama.gpu === false ? 1 : 4));
  let context: LlamaContext;
  try {
    context = await model.createContext({ contextSize, sequences: parallel, threads: options.threads });
  } catch (err) {
    await releaseLlamaModel(options.modelPath);
    throw new TeamKbError(
      'LLM_UNAVAILABLE',
      `Cannot create a ${contextSize}-token context for ${options.modelPath}: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
  const chatWrapper = resolveChatWrapper(model);
  const sequences: LlamaContextSequence[] = [];
  for (let i = 0; i < parallel; i++) sequences.push(context.getSequence());
  const pool = new ResourcePool(sequences);
  logger.info(
    `LLM llama:${options.name} loaded in ${Math.round(performance.now() - started)} ms (context ${contextSize}, ${parallel} parallel, ${options.threads} thread(s), chat format ${chatWrapper.wrapperName}, gpu ${String(llama.gpu)})`,
  );

  // What one sequence holds: the prompt plus the answer of one request.
  const tokens = llamaTokens(model, chatWrapper, sequences[0]?.contextSize ?? contextSize);

  /** One generation on one sequence; resolves when it ends, rejects with llama.cpp's error. */
  function generateOn(
    sequence: LlamaContextSequence,
    history: ChatHistoryItem[],
    maxTokens: number,
    req: LlmRequest,
    signal: AbortSignal,
    onText: (text: string) => void,
  ): Promise<{ promptTokens: number; completionTokens: number }> {
    const chat = new LlamaChat({ contextSequence: sequence, chatWrapper });
    const before = { input: sequence.tokenMeter.usedInputTokens, output: sequence.tokenMeter.usedOutputTokens };
    return chat
      .generateResponse(history, {
        onTextChunk: (text) => {
          if (text) onText(text);
        },
        signal,
        stopOnAbortSignal: true,
        maxTokens,
        temperature: req.temperature,
      })
      .then(() => ({
        promptTokens: sequence.tokenMeter.usedInputTokens - before.input,
        completionTokens: sequence.tokenMeter.usedOutputTokens - before.output,
      }))
      .finally(() => chat.dispose({ disposeSequence: false }));
  }

  async function* stream(req: LlmRequest): AsyncIterable<LlmPart> {
    const promptTokens = tokens.countChat?.(req.messages) ?? 0;
    // Room for the answer is what the prompt leaves; a prompt that leaves none is refused in words
    // instead of letting llama.cpp fail on it (or silently cut the question) mid-generation.
    const room = tokens.contextSize - promptTokens - 1;
    if (room < 1) {
      throw new TeamKbError(
        'INVALID_INPUT',
        `The request is too long for ${options.name}: ${promptTokens} tokens, and it reads at most ${tokens.contextSize}. Please shorten it.`,
      );
    }
    const maxTokens = Math.min(req.maxTokens ?? Math.floor(tokens.contextSize / 2), room);
    const stop = new AbortController();
    const onCallerAbort = () => stop.abort();
    req.signal?.addEventListener('abort', onCallerAbort, { once: true });
    let generation: Promise<void> | undefined;
    try {
      const sequence = await pool.acquire(req.signal);
      const parts = new PushQueue<LlmPart>();
      const history = toChatHistory(req.messages);
      let wrote = false;
      const onText = (text: string) => {
        wrote = true;
        parts.push({ type: 'text', text });
      };
      const attempt = () => generateOn(sequence, history, maxTokens, req, stop.signal, onText);
      generation = attempt()
        .catch(async (err: unknown) => {
          if (req.signal?.aborted || wrote) throw err;
          // A sequence whose cached state no longer matches (e.g. "No tokens to evaluate") is
          // cleared and the request runs once more from scratch.
          logger.warn(`LLM llama:${options.name}: generation failed (${(err as Error).message}); retrying on a fresh sequence`);
          await sequence.clearHistory();
          return attempt();
        })
        .then(
          (usage) => {
            if (req.signal?.aborted) return parts.fail(cancelledError('Generation'));
            parts.push({ type: 'done', usage });
            parts.end();
          },
          async (err: unknown) => {
            if (req.signal?.aborted) return parts.fail(cancelledError('Generation'));
            logger.warn(`LLM llama:${options.name}: generation failed (${(err as Error).message})`);
            await sequence.clearHistory().catch(() => undefined);
            parts.fail(
              new TeamKbError('LLM_UNAVAILABLE', `The model ${options.name} could not finish this answer. Please try again.`, {
                cause: err,
              }),
            );
          },
        )
        .finally(() => pool.release(sequence));
      yield* parts;
    } finally {
      req.signal?.removeEventListener('abort', onCallerAbort);
      stop.abort();
      await generation;
    }
  }

  let closed = false;
  return {
    id: `llama:${options.name}`,
    tokens,
    stream,
    chatWithTools: (req) => llamaToolChat({ name: options.name, pool, chatWrapper, contextSize }, req),
    async close() {
      if (closed) return;
      closed = true;
      await context.dispose();
      await releaseLlamaModel(options.modelPath);
    },
  };
}
