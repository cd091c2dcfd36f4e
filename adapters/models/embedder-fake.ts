import type { Embedder, EmbedKind } from '../../core/embedder.js';
import { throwIfAborted } from './cancel.js';
import { l2NormalizeInPlace } from './vector-math.js';

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/u;

/** Lower-cased words plus CJK characters and CJK character pairs, so related texts share features. */
export function fakeTokens(text: string): string[] {
  const tokens: string[] = [];
  for (const run of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    if (!CJK.test(run)) {
      tokens.push(run);
      continue;
    }
    const chars = [...run];
    chars.forEach((char, i) => {
      tokens.push(char);
      if (i + 1 < chars.length) tokens.push(char + chars[i + 1]);
    });
  }
  return tokens.length > 0 ? tokens : ['\u0000empty'];
}

/** FNV-1a, 32 bit. */
function hash(text: string, seed: number): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Deterministic hashed bag-of-tokens vector, L2-normalised. */
export function fakeVector(text: string, dim: number): Float32Array {
  const vector = new Float32Array(dim);
  for (const token of fakeTokens(text)) {
    const index = hash(token, 0) % dim;
    const sign = hash(token, 0x9e3779b9) & 1 ? 1 : -1;
    vector[index] = (vector[index] as number) + sign;
  }
  // Tokens can cancel out in tiny dimensions; keep the vector a unit vector regardless.
  if (vector.every((x) => x === 0)) vector[hash(text, 1) % dim] = 1;
  return l2NormalizeInPlace(vector);
}

/** Plumbing-test embedder: no model, instant, similar texts get similar vectors. */
export function createFakeEmbedder(dim = 64): Embedder {
  return {
    id: `fake:${dim}`,
    dim,
    async embed(texts: string[], _kind: EmbedKind, signal?: AbortSignal): Promise<Float32Array[]> {
      throwIfAborted(signal, 'Embedding');
      return texts.map((text) => fakeVector(text, dim));
    },
  };
}
