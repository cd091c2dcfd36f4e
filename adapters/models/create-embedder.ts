import type { Embedder } from '../../core/embedder.js';
import { TeamKbError } from '../../core/errors.js';
import type { BatchLimits } from './batching.js';
import { catalogEntryFor } from './catalog-spec.js';
import { type CreateModelOptions, sharedInstance } from './create-options.js';
import { createFakeEmbedder } from './embedder-fake.js';
import { resolveThreads } from './llama-runtime.js';
import { locateGgufModel, locateTransformersModel, modelName } from './model-paths.js';
import { type ModelSpec, parseModelSpec } from './spec.js';

export interface CreateEmbedderOptions extends CreateModelOptions {
  /** bge query instruction prefix (off by default: it hurt English retrieval here). */
  queryInstruction?: boolean;
  /** Transformers batching limits (see DEFAULT_TRANSFORMERS_BATCH). */
  batch?: Partial<BatchLimits>;
}

function catalogEmbedderSpec(name: string, spec: string, options: CreateEmbedderOptions): ModelSpec {
  const entry = catalogEntryFor(name, spec, 'embedder', options.catalogPath);
  return { kind: entry.runtime, target: name };
}

/**
 * Builds the embedder named by a TEAMKB_EMBEDDER value: `transformers:<id or dir>`, `llama:<file.gguf>`,
 * `openai:<model>@<base url>`, `fake[:dim]`, a catalog name, or `none` (→ null: keyword-only).
 */
export async function createEmbedder(spec: string, options: CreateEmbedderOptions): Promise<Embedder | null> {
  let parsed = parseModelSpec(spec, 'embedder');
  if (parsed.kind === 'catalog') parsed = catalogEmbedderSpec(parsed.name, spec, options);
  const threads = resolveThreads(options.threads);
  const key = JSON.stringify([parsed, options.modelsDir, threads, options.queryInstruction ?? false, options.contextSize ?? 0]);
  switch (parsed.kind) {
    case 'none':
      return null;
    case 'fake':
      return createFakeEmbedder(parsed.dim ?? 64);
    case 'openai': {
      const { model, baseUrl } = parsed;
      return sharedInstance(key, async () =>
        (await import('./embedder-openai.js')).createOpenAiEmbedder({
          model,
          baseUrl,
          apiKey: options.apiKey || undefined,
          logger: options.logger,
        }),
      );
    }
    case 'transformers': {
      const target = parsed.target;
      return sharedInstance(key, async () => {
        const model = await locateTransformersModel(target, options);
        return (await import('./embedder-transformers.js')).createTransformersEmbedder({
          model,
          name: modelName(target),
          cacheDir: options.modelsDir,
          allowDownload: options.allowDownload,
          threads,
          queryInstruction: options.queryInstruction,
          logger: options.logger,
          ...options.batch,
        });
      });
    }
    case 'llama': {
      const target = parsed.target;
      return sharedInstance(key, async () => {
        const modelPath = await locateGgufModel(target, options, 'embedder');
        return (await import('./embedder-llama.js')).createLlamaEmbedder({
          modelPath,
          name: modelName(target),
          threads,
          contextSize: options.contextSize,
          gpu: options.gpu,
          queryInstruction: options.queryInstruction,
          logger: options.logger,
        });
      });
    }
    default:
      throw new TeamKbError('INTERNAL', `Unhandled embedder spec ${spec}`);
  }
}
