import {
  type ChatHistoryItem,
  LlamaChat,
  type LlamaContext,
  type LlamaContextSequence,
  resolveChatWrapper,
} from 'node-llama-cpp';
import { TeamKbError } from '../../core/errors.js';
import type { ChatMessage, LlmPart, LlmRequest } from '../../core/llm.js';
import type { ToolCallingLlm } from '../../core/tool-llm.js';
import { cancelledError } from './cancel.js';
import { acquireLlamaModel, type GpuSetting, getLlamaRuntime, releaseLlamaModel } from './llama-runtime.js';
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

/** Chat history for node-llama-cpp, ending in the (empty or partial) answer to generate. */
export function toChatHistory(messages: ChatMessage[]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = messages.map((m): ChatHistoryItem => {
    if (m.role === 'system') return { type: 'system', text: m.content };
    if (m.role === 'user') return { type: 'user', text: m.content };
    return { type: 'model', response: [m.content] };
  });
  if (messages[messages.length - 1]?.role !== 'assistant') history.push({ type: 'model', response: [] });
  return history;
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

  async function* stream(req: LlmRequest): AsyncIterable<LlmPart> {
    const stop = new AbortController();
    const onCallerAbort = () => stop.abort();
    req.signal?.addEventListener('abort', onCallerAbort, { once: true });
    let generation: Promise<void> | undefined;
    try {
      const sequence = await pool.acquire(req.signal);
      const parts = new PushQueue<LlmPart>();
      const chat = new LlamaChat({ contextSequence: sequence, chatWrapper });
      const before = { input: sequence.tokenMeter.usedInputTokens, output: sequence.tokenMeter.usedOutputTokens };
      generation = chat
        .generateResponse(toChatHistory(req.messages), {
          onTextChunk: (text) => {
            if (text) parts.push({ type: 'text', text });
          },
          signal: stop.signal,
          stopOnAbortSignal: true,
          maxTokens: req.maxTokens ?? Math.floor(contextSize / 2),
          temperature: req.temperature,
        })
        .then(
          () => {
            if (req.signal?.aborted) return parts.fail(cancelledError('Generation'));
            parts.push({
              type: 'done',
              usage: {
                promptTokens: sequence.tokenMeter.usedInputTokens - before.input,
                completionTokens: sequence.tokenMeter.usedOutputTokens - before.output,
              },
            });
            parts.end();
          },
          (err: unknown) => {
            parts.fail(
              req.signal?.aborted
                ? cancelledError('Generation')
                : new TeamKbError('LLM_UNAVAILABLE', `Generation with ${options.name} failed: ${(err as Error).message}`, {
                    cause: err,
                  }),
            );
          },
        )
        .finally(() => {
          chat.dispose({ disposeSequence: false });
          pool.release(sequence);
        });
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
