import type { StoredChunk } from '../../core/chunk.js';
import type { Embedder } from '../../core/embedder.js';
import { splitDocument } from '../../core/text/splitter.js';
import type { VectorStore } from '../../core/vector-store.js';
import type { Passage } from './dataset.js';

/** How passages become chunks: split like real documents, or one chunk per passage. */
export type ChunkVariant = { kind: 'chunks'; chunkSize: number; chunkOverlap: number } | { kind: 'whole' };

export const variantLabel = (v: ChunkVariant): string =>
  v.kind === 'whole' ? 'whole passages' : `chunked ${v.chunkSize}/${v.chunkOverlap}`;

/**
 * Chunks for a QA corpus. Each passage is a document whose id becomes the chunks' fileId, so a
 * hit maps back to its passage. With `withTitle` the title is the section heading, which the
 * splitter prefixes to every chunk as it does for real documents.
 */
export function passageChunks(passages: Passage[], variant: ChunkVariant, withTitle = false): StoredChunk[] {
  const chunks: StoredChunk[] = [];
  for (const passage of passages) {
    const meta = withTitle && passage.title ? { headings: [passage.title] } : {};
    const pieces =
      variant.kind === 'whole'
        ? [{ text: (meta.headings ? `${passage.title}\n` : '') + passage.text.trim(), meta: { source: passage.id } }]
        : splitDocument(
            { source: passage.id, blocks: [{ text: passage.text, kind: 'prose', meta }], warnings: [] },
            { chunkSize: variant.chunkSize, chunkOverlap: variant.chunkOverlap },
          );
    pieces.forEach((piece, ordinal) => {
      if (!piece.text.trim()) return;
      chunks.push({ id: `${passage.id}#${ordinal}`, fileId: passage.id, ordinal, text: piece.text, meta: piece.meta });
    });
  }
  return chunks;
}

/** Embeds in groups, longest texts together, so padding is small and progress can be shown. */
export async function embedAll(
  embedder: Embedder,
  texts: string[],
  kind: 'query' | 'passage',
  onProgress?: (done: number, total: number) => void,
  groupSize = 32,
): Promise<Float32Array[]> {
  const order = texts.map((_, i) => i).sort((a, b) => (texts[b] as string).length - (texts[a] as string).length);
  const out: Float32Array[] = new Array(texts.length);
  for (let start = 0; start < order.length; start += groupSize) {
    const group = order.slice(start, start + groupSize);
    const vectors = await embedder.embed(
      group.map((i) => texts[i] as string),
      kind,
    );
    group.forEach((index, j) => {
      out[index] = vectors[j] as Float32Array;
    });
    onProgress?.(Math.min(order.length, start + groupSize), order.length);
  }
  return out;
}

/** Writes the chunks (with vectors when an embedder is given) into a fresh KB of the store. */
export async function buildEvalKb(
  store: VectorStore,
  kb: string,
  chunks: StoredChunk[],
  embedder: Embedder | null,
  onProgress?: (done: number, total: number) => void,
): Promise<{ embedSeconds: number; storeSeconds: number }> {
  await store.drop(kb).catch(() => undefined);
  await store.ensure(kb, embedder?.dim ?? null);
  let embedSeconds = 0;
  if (embedder) {
    const t = performance.now();
    const vectors = await embedAll(
      embedder,
      chunks.map((c) => c.text),
      'passage',
      onProgress,
    );
    chunks.forEach((c, i) => {
      c.vector = vectors[i];
    });
    embedSeconds = (performance.now() - t) / 1000;
  }
  const t = performance.now();
  for (let i = 0; i < chunks.length; i += 1000) await store.upsert(kb, chunks.slice(i, i + 1000));
  await settle(store, kb);
  return { embedSeconds, storeSeconds: (performance.now() - t) / 1000 };
}

/** Brings the store's indexes up to date when it can (a KB at rest, as users search it). */
export async function settle(store: VectorStore, kb: string): Promise<void> {
  const optimize = (store as { optimize?: (kb: string) => Promise<void> }).optimize;
  if (typeof optimize === 'function') await optimize.call(store, kb);
}
