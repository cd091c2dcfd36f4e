import { TeamKbError } from '../../core/errors.js';
import type { Llm } from '../../core/llm.js';
import { catalogEntryFor } from './catalog-spec.js';
import { type CreateModelOptions, sharedInstance } from './create-options.js';
import { createEchoLlm } from './fake-llm.js';
import { resolveThreads } from './llama-runtime.js';
import { locateGgufModel, modelName } from './model-paths.js';
import { parseModelSpec } from './spec.js';

export interface CreateLlmOptions extends CreateModelOptions {
  /** Requests generated at once by a GGUF model (default 1 on CPU, 4 on GPU); the rest wait in line. */
  parallel?: number;
}

/**
 * Builds the LLM named by one TEAMKB_LLM entry: `llama:<file.gguf or catalog name>`,
 * `openai:<model>@<base url>`, a catalog name, `fake` (echo), or `none` (→ null).
 */
export async function createLlm(spec: string, options: CreateLlmOptions): Promise<Llm | null> {
  const parsed = parseModelSpec(spec, 'llm');
  const threads = resolveThreads(options.threads);
  switch (parsed.kind) {
    case 'none':
      return null;
    case 'fake':
      return createEchoLlm();
    case 'openai':
      return (await import('./llm-openai.js')).createOpenAiLlm({
        model: parsed.model,
        baseUrl: parsed.baseUrl,
        apiKey: options.apiKey || undefined,
        logger: options.logger,
        contextSize: options.contextSize,
      });
    case 'catalog':
    case 'llama': {
      const target = parsed.kind === 'catalog' ? parsed.name : parsed.target;
      if (parsed.kind === 'catalog') catalogEntryFor(target, spec, 'llm', options.catalogPath);
      const key = JSON.stringify(['llama', target, options.modelsDir, threads, options.contextSize ?? 0, options.parallel ?? 0]);
      return sharedInstance(key, async () => {
        const modelPath = await locateGgufModel(target, options, 'llm');
        return (await import('./llm-llama.js')).createLlamaLlm({
          modelPath,
          name: modelName(target),
          threads,
          contextSize: options.contextSize,
          parallel: options.parallel,
          gpu: options.gpu,
          logger: options.logger,
        });
      });
    }
    default:
      throw new TeamKbError('INTERNAL', `Unhandled LLM spec ${spec}`);
  }
}
