import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Embedder, EmbedKind } from '../../core/embedder.js';

const HASH_BYTES = 20;

/**
 * Wraps an embedder so every vector it makes is kept on disk (one append-only file per embedder
 * and kind: text hash + float32 vector). Embedding a corpus takes minutes on a small machine; with
 * the cache a second eval run over the same texts only pays for search.
 */
export function cachedEmbedder(inner: Embedder, dir: string): Embedder & { hits: () => number } {
  mkdirSync(dir, { recursive: true });
  const safeId = inner.id.replace(/[^A-Za-z0-9._-]+/g, '_').slice(-120);
  const files = { query: join(dir, `${safeId}.query.bin`), passage: join(dir, `${safeId}.passage.bin`) };
  const record = HASH_BYTES + inner.dim * 4;
  const maps: Record<EmbedKind, Map<string, Float32Array>> = { query: new Map(), passage: new Map() };
  for (const kind of ['query', 'passage'] as const) {
    if (!existsSync(files[kind])) continue;
    const bytes = readFileSync(files[kind]);
    // A torn last record (interrupted run) is ignored.
    for (let at = 0; at + record <= bytes.length; at += record) {
      const key = bytes.subarray(at, at + HASH_BYTES).toString('hex');
      const vector = new Float32Array(inner.dim);
      Buffer.from(vector.buffer).set(bytes.subarray(at + HASH_BYTES, at + record));
      maps[kind].set(key, vector);
    }
  }
  const keyOf = (text: string) => createHash('sha1').update(text).digest();
  let hits = 0;
  return {
    id: inner.id,
    dim: inner.dim,
    hits: () => hits,
    close: () => inner.close?.() ?? Promise.resolve(),
    async embed(texts, kind, signal) {
      const keys = texts.map(keyOf);
      const out: Array<Float32Array | undefined> = keys.map((k) => maps[kind].get(k.toString('hex')));
      const missing = out.flatMap((v, i) => (v === undefined ? [i] : []));
      hits += texts.length - missing.length;
      if (missing.length > 0) {
        const made = await inner.embed(
          missing.map((i) => texts[i] as string),
          kind,
          signal,
        );
        const chunks: Buffer[] = [];
        missing.forEach((index, j) => {
          const vector = made[j] as Float32Array;
          const key = keys[index] as Buffer;
          out[index] = vector;
          maps[kind].set(key.toString('hex'), vector);
          chunks.push(key, Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength));
        });
        appendFileSync(files[kind], Buffer.concat(chunks));
      }
      return out as Float32Array[];
    },
  };
}
