// TEMPORARY: stands in for the embedded store until it exists. Delete when adapters/stores/embedded lands.
import type { StoredChunk } from '../../../core/chunk.js';
import type { Hit, StoreQuery, VectorStore } from '../../../core/vector-store.js';

export function createDevMemoryStore(): VectorStore {
  const kbs = new Map<string, Map<string, StoredChunk>>();
  const table = (kb: string) => {
    const t = kbs.get(kb) ?? new Map<string, StoredChunk>();
    kbs.set(kb, t);
    return t;
  };
  return {
    id: 'memory',
    async ensure(kb) {
      table(kb);
    },
    async drop(kb) {
      kbs.delete(kb);
    },
    async upsert(kb, chunks) {
      for (const c of chunks) table(kb).set(c.id, c);
    },
    async deleteByFile(kb, fileId) {
      let n = 0;
      for (const [id, c] of table(kb)) if (c.fileId === fileId) table(kb).delete(id), n++;
      return n;
    },
    async search(kb, q: StoreQuery): Promise<Hit[]> {
      const words = (q.text ?? '').toLowerCase().match(/\w+/g) ?? [];
      const hits: Hit[] = [];
      for (const c of table(kb).values()) {
        const text = c.text.toLowerCase();
        const matched = words.filter((w) => text.includes(w)).length;
        if (matched > 0) hits.push({ chunk: c, score: matched / (matched + 3) });
      }
      return hits.sort((a, b) => b.score - a.score).slice(0, q.topK);
    },
    async count(kb) {
      return table(kb).size;
    },
    async *scan() {},
    async close() {},
  };
}
