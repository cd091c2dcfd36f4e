import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import type { Llama, LlamaLogLevel, LlamaModel } from 'node-llama-cpp';
import { TeamKbError } from '../../core/errors.js';
import { type ModelLogger, silentLogger } from './logger.js';

/** 'auto' uses CUDA / Vulkan / Metal when a prebuilt binary for them works here, else the CPU. */
export type GpuSetting = 'auto' | false;

let runtime: { gpu: GpuSetting; llama: Promise<Llama> } | undefined;
const models = new Map<string, { model: Promise<LlamaModel>; users: number }>();

/** Explicit thread count: a positive value as given, otherwise half the cores (auto threads are very slow on small CPUs). */
export function resolveThreads(threads: number | undefined): number {
  if (threads !== undefined && threads > 0) return Math.floor(threads);
  return Math.max(1, Math.floor(availableParallelism() / 2));
}

function routeLogs(logger: ModelLogger) {
  return (level: LlamaLogLevel, message: string) => {
    const text = message.trim();
    if (!text) return;
    if (level === 'error' || level === 'fatal') logger.warn(`llama.cpp: ${text}`);
    else logger.debug?.(`llama.cpp: ${text}`);
  };
}

/** The one llama.cpp binding of this process, shared by the GGUF embedder and the GGUF LLM. */
export function getLlamaRuntime(options: { gpu?: GpuSetting; logger?: ModelLogger } = {}): Promise<Llama> {
  const gpu = options.gpu ?? 'auto';
  const logger = options.logger ?? silentLogger;
  if (runtime) {
    if (runtime.gpu !== gpu)
      logger.warn(`llama.cpp already started with gpu=${String(runtime.gpu)}; ignoring gpu=${String(gpu)}`);
    return runtime.llama;
  }
  // Imported here, not at the top: the native runtime costs memory and start-up time that runs
  // without a GGUF model never need.
  const llama = import('node-llama-cpp')
    .then(({ getLlama, LlamaLogLevel }) =>
      getLlama({ gpu, build: 'never', logLevel: LlamaLogLevel.warn, logger: routeLogs(logger) }),
    )
    .then(
      (instance) => {
        logger.info(`llama.cpp runtime ready (gpu: ${String(instance.gpu)})`);
        return instance;
      },
      (err: unknown) => {
        runtime = undefined;
        throw new TeamKbError(
          'LLM_UNAVAILABLE',
          `node-llama-cpp could not start (${(err as Error).message?.split('\n')[0]}); reinstall node-llama-cpp or set TEAMKB_GPU=off`,
          { cause: err },
        );
      },
    );
  runtime = { gpu, llama };
  return llama;
}

/** Loads a GGUF model once per process; every caller must `releaseLlamaModel` when done. */
export async function acquireLlamaModel(
  modelPath: string,
  options: { gpu?: GpuSetting; logger?: ModelLogger } = {},
): Promise<LlamaModel> {
  const path = resolve(modelPath);
  let slot = models.get(path);
  if (!slot) {
    const model = getLlamaRuntime(options).then((llama) => llama.loadModel({ modelPath: path }));
    slot = { model, users: 0 };
    models.set(path, slot);
    model.catch(() => models.delete(path));
  }
  slot.users++;
  try {
    return await slot.model;
  } catch (err) {
    slot.users--;
    if (err instanceof TeamKbError) throw err;
    const what = existsSync(path) ? 'could not be loaded' : 'does not exist';
    throw new TeamKbError('MODEL_NOT_FOUND', `GGUF model ${path} ${what} (${(err as Error).message?.split('\n')[0]})`, {
      cause: err,
    });
  }
}

export async function releaseLlamaModel(modelPath: string): Promise<void> {
  const path = resolve(modelPath);
  const slot = models.get(path);
  if (!slot) return;
  slot.users--;
  if (slot.users > 0) return;
  models.delete(path);
  const model = await slot.model.catch(() => undefined);
  await model?.dispose();
}
