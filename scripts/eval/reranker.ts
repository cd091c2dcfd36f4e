import { resolve } from 'node:path';
import { createReranker } from '../../adapters/models/create-reranker.js';
import type { Reranker } from '../../core/reranker.js';
import { ROOT } from './embedder.js';

/** The reranker spec to evaluate with: the explicit one, else the configured one (model.reranker, TEAMKB_RERANKER), else none. */
export function resolveRerankerSpec(explicit?: string, configured?: string): string {
  return explicit?.trim() || configured?.trim() || 'none';
}

export async function openReranker(spec: string, threads?: number, modelsDir = 'models'): Promise<Reranker | null> {
  return createReranker(spec, { modelsDir: resolve(ROOT, modelsDir), threads });
}
