import { resolve } from 'node:path';
import { createReranker } from '../../adapters/models/create-reranker.js';
import type { Reranker } from '../../core/reranker.js';
import { ROOT } from './embedder.js';

/** The reranker spec to evaluate with: the explicit one, else TEAMKB_RERANKER, else none. */
export function resolveRerankerSpec(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  return explicit?.trim() || env.TEAMKB_RERANKER?.trim() || 'none';
}

export async function openReranker(spec: string, threads?: number): Promise<Reranker | null> {
  return createReranker(spec, { modelsDir: resolve(ROOT, process.env.TEAMKB_MODELS_DIR ?? 'models'), threads });
}
