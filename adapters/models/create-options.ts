import type { GpuSetting } from './llama-runtime.js';
import type { ModelLogger } from './logger.js';

/** Options shared by createEmbedder and createLlm. */
export interface CreateModelOptions {
  /** Where catalog models live (<modelsDir>/<name>/) and relative model paths are looked up. */
  modelsDir: string;
  /** CPU threads for inference; 0 or absent → half the cores. Tests pass 1. */
  threads?: number;
  logger?: ModelLogger;
  /** May missing catalog models (and Hugging Face ids) be downloaded now? Default false. */
  allowDownload?: boolean;
  /** llama.cpp GPU use: 'auto' (default) or false (model.gpu: off). */
  gpu?: GpuSetting;
  /** Context size in tokens for GGUF models. */
  contextSize?: number;
  /** Defaults to models/catalog.yaml in this repository. */
  catalogPath?: string;
  /** Bearer key for openai: models (model.embedderApiKey / model.llmApiKey). */
  apiKey?: string;
}

const instances = new Map<string, Promise<unknown>>();

/** One instance per distinct model setting per process; a failed creation is not cached. */
export function sharedInstance<T extends { close?(): Promise<void> }>(key: string, create: () => Promise<T>): Promise<T> {
  const existing = instances.get(key) as Promise<T> | undefined;
  if (existing) return existing;
  const created = create().then((instance) => {
    const close = instance.close?.bind(instance);
    if (close) {
      instance.close = async () => {
        instances.delete(key);
        await close();
      };
    }
    return instance;
  });
  instances.set(key, created);
  created.catch(() => instances.delete(key));
  return created;
}
