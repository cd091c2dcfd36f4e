import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEmbedder } from '../../adapters/models/create-embedder.js';
import type { Embedder } from '../../core/embedder.js';
import { cachedEmbedder } from './embed-cache.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SHARED_FIXTURES = process.env.TEAMKB_SHARED_FIXTURES ?? resolve(ROOT, '../shared/fixtures');
export const DEFAULT_EVAL_DATA = join(SHARED_FIXTURES, 'eval');
export const FIXTURE_EMBEDDER_DIR = join(SHARED_FIXTURES, 'models/bge-small-zh-v1.5');

/**
 * The embedder spec to evaluate with: the explicit one, else TEAMKB_EMBEDDER, else the bge-small-zh
 * reference model when it is present, else none (keyword-only) with the reason.
 */
export function resolveEmbedderSpec(explicit?: string, env: NodeJS.ProcessEnv = process.env): { spec: string; notice?: string } {
  if (explicit) return { spec: explicit };
  if (env.TEAMKB_EMBEDDER) return { spec: env.TEAMKB_EMBEDDER };
  if (existsSync(FIXTURE_EMBEDDER_DIR)) return { spec: `transformers:${FIXTURE_EMBEDDER_DIR}` };
  return {
    spec: 'none',
    notice: `no embedder: TEAMKB_EMBEDDER is unset and ${FIXTURE_EMBEDDER_DIR} is absent, so only bm25 is evaluated (use --embedder <spec>)`,
  };
}

/** Git-ignored folder where eval runs keep the vectors they made (see embed-cache.ts). */
export const EMBED_CACHE_DIR = join(ROOT, '.eval-cache');

export async function openEmbedder(spec: string, threads?: number, cacheDir?: string): Promise<Embedder | null> {
  const embedder = await createEmbedder(spec, { modelsDir: resolve(ROOT, process.env.TEAMKB_MODELS_DIR ?? 'models'), threads });
  return embedder && cacheDir ? cachedEmbedder(embedder, cacheDir) : embedder;
}
