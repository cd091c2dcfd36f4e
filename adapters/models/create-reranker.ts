import { TeamKbError } from '../../core/errors.js';
import type { Reranker } from '../../core/reranker.js';
import type { BatchLimits } from './batching.js';
import { catalogEntryFor } from './catalog-spec.js';
import { type CreateModelOptions, sharedInstance } from './create-options.js';
import { resolveThreads } from './llama-runtime.js';
import { locateTransformersModel, modelName } from './model-paths.js';
import { createFakeReranker } from './reranker-fake.js';
import { invalidSpec, type ModelSpec, parseModelSpec } from './spec.js';

export interface CreateRerankerOptions
  extends Pick<CreateModelOptions, 'modelsDir' | 'threads' | 'logger' | 'allowDownload' | 'catalogPath'> {
  /** Transformers batching limits (see DEFAULT_RERANKER_BATCH). */
  batch?: Partial<BatchLimits>;
}

function catalogRerankerSpec(name: string, spec: string, options: CreateRerankerOptions): ModelSpec {
  const entry = catalogEntryFor(name, spec, 'reranker', options.catalogPath);
  if (entry.runtime !== 'transformers')
    throw invalidSpec('reranker', spec, `"${name}" runs on ${entry.runtime}; rerankers run on transformers only`);
  return { kind: 'transformers', target: name };
}

/**
 * Builds the reranker named by a TEAMKB_RERANKER value: `transformers:<id or dir>`, a catalog name,
 * `fake` (term overlap, for tests), or `none` / unset (→ null: results keep their retrieval order).
 */
export async function createReranker(spec: string | undefined, options: CreateRerankerOptions): Promise<Reranker | null> {
  let parsed = parseModelSpec(spec ?? 'none', 'reranker');
  if (parsed.kind === 'catalog') parsed = catalogRerankerSpec(parsed.name, spec ?? '', options);
  const threads = resolveThreads(options.threads);
  switch (parsed.kind) {
    case 'none':
      return null;
    case 'fake':
      return createFakeReranker();
    case 'transformers': {
      const target = parsed.target;
      const key = JSON.stringify(['reranker', parsed, options.modelsDir, threads, options.batch ?? {}]);
      return sharedInstance(key, async () => {
        const model = await locateTransformersModel(target, options, 'Reranker model');
        return (await import('./reranker-transformers.js')).createTransformersReranker({
          model,
          name: modelName(target),
          cacheDir: options.modelsDir,
          allowDownload: options.allowDownload,
          threads,
          logger: options.logger,
          ...options.batch,
        });
      });
    }
    default:
      throw new TeamKbError('INTERNAL', `Unhandled reranker spec ${spec}`);
  }
}
