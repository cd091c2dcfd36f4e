import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredChunk } from '../../core/chunk.js';
import { isTeamKbError } from '../../core/errors.js';
import type { Hit, SearchMode, VectorStore } from '../../core/vector-store.js';

const DIM = 8;
const MODES: SearchMode[] = ['dense', 'bm25', 'hybrid'];

/** Deterministic unit vector pointing mostly along `axis`, tilted by `tilt` toward the next axis. */
export function unit(axis: number, tilt = 0, dim = DIM): Float32Array {
  const v = new Float32Array(dim);
  v[axis % dim] = 1;
  v[(axis + 1) % dim] = tilt;
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

function chunk(id: string, fileId: string, text: string, vector?: Float32Array, ordinal = 0): StoredChunk {
  return { id, fileId, ordinal, text, meta: { source: `${fileId}.md` }, ...(vector ? { vector } : {}) };
}

const ids = (hits: Hit[]) => hits.map((h) => h.chunk.id);

const CORPUS: StoredChunk[] = [
  chunk('vpn', 'it-guide', 'To rotate the VPN key, open the admin console and choose Rotate key.', unit(0), 0),
  chunk('vpn-zh', 'it-guide', '如何轮换VPN密钥：打开管理控制台，选择轮换密钥。', unit(0, 0.3), 1),
  chunk('leave', 'hr-handbook', '员工年假申请流程：在系统中提交申请，经理审批后生效。', unit(2), 0),
  chunk('lunch', 'hr-handbook', 'Lunch is served in the canteen from noon until two.', unit(3), 1),
  chunk('printer', 'office', 'The printer on floor three needs a badge to release jobs.', unit(4), 0),
  chunk('badge', 'office', 'Lost badges are replaced at reception within one day.', unit(5), 1),
];

/**
 * Behaviour every VectorStore must show. `makeStore` is called once; each test works in its own
 * knowledge base, named with Chinese and punctuation on purpose.
 */
export function vectorStoreContract(name: string, makeStore: () => Promise<VectorStore>, opts: { skip?: string } = {}): void {
  if (opts.skip !== undefined) console.warn(`[notice] skipping the ${name} vector-store contract: ${opts.skip}`);
  (opts.skip === undefined ? describe : describe.skip)(`VectorStore contract: ${name}`, () => {
    let store: VectorStore;
    let counter = 0;
    const created: string[] = [];
    const freshKb = async (dim: number | null = DIM, label = 'kb') => {
      const kb = `${label} 知识库 #${++counter} "q'"`;
      await store.ensure(kb, dim);
      created.push(kb);
      return kb;
    };
    const withCorpus = async () => {
      const kb = await freshKb();
      await store.upsert(kb, CORPUS);
      return kb;
    };

    beforeAll(async () => {
      store = await makeStore();
    });
    afterAll(async () => {
      if (store === undefined) return;
      for (const kb of created) await store.drop(kb).catch(() => undefined);
      await store.close();
    });

    it('upsert is idempotent by id and replaces changed chunks', async () => {
      const kb = await withCorpus();
      await store.upsert(kb, CORPUS);
      expect(await store.count(kb)).toBe(CORPUS.length);
      await store.upsert(kb, [chunk('lunch', 'hr-handbook', 'Lunch moved to the rooftop terrace.', unit(3), 1)]);
      expect(await store.count(kb)).toBe(CORPUS.length);
      const hits = await store.search(kb, { mode: 'bm25', text: 'rooftop terrace', topK: 3 });
      expect(hits[0]?.chunk.text).toBe('Lunch moved to the rooftop terrace.');
      expect(await store.search(kb, { mode: 'bm25', text: 'canteen', topK: 3 })).toEqual([]);
    });

    it('makes a just-upserted chunk visible to the very next search in every mode', async () => {
      const kb = await withCorpus();
      await store.upsert(kb, [chunk('fresh', 'new-file', 'Quarterly zebra migration report', unit(6), 0)]);
      for (const mode of MODES) {
        const hits = await store.search(kb, { mode, text: 'zebra migration', vector: unit(6), topK: 3 });
        expect(ids(hits)[0], mode).toBe('fresh');
      }
    });

    it('deletes by file, reports the count, and never returns those chunks again', async () => {
      const kb = await withCorpus();
      expect(await store.deleteByFile(kb, 'it-guide')).toBe(2);
      expect(await store.count(kb)).toBe(CORPUS.length - 2);
      for (const mode of MODES) {
        const hits = await store.search(kb, { mode, text: 'VPN key 密钥', vector: unit(0), topK: 10 });
        expect(
          hits.some((h) => h.chunk.fileId === 'it-guide'),
          mode,
        ).toBe(false);
      }
      expect(await store.deleteByFile(kb, 'it-guide')).toBe(0);
      expect(await store.deleteByFile(kb, "it-guide' OR '1'='1")).toBe(0);
      expect(await store.count(kb)).toBe(CORPUS.length - 2);
    });

    it('filters by file ids and excluded file ids, treating odd ids as plain values', async () => {
      const kb = await withCorpus();
      const odd = 'o\'brien") OR 1=1 -- 文件';
      await store.upsert(kb, [chunk('odd', odd, 'The badge office for visitors.', unit(5, 0.2), 0)]);
      for (const mode of MODES) {
        const q = { mode, text: 'badge', vector: unit(5), topK: 10 };
        const only = await store.search(kb, { ...q, filter: { fileIds: ['office'] } });
        expect(only.length, mode).toBeGreaterThan(0);
        expect(new Set(only.map((h) => h.chunk.fileId)), mode).toEqual(new Set(['office']));
        const onlyOdd = await store.search(kb, { ...q, filter: { fileIds: [odd] } });
        expect(ids(onlyOdd), mode).toEqual(['odd']);
        const without = await store.search(kb, { ...q, filter: { excludeFileIds: ['office', odd] } });
        expect(
          without.some((h) => h.chunk.fileId === 'office' || h.chunk.fileId === odd),
          mode,
        ).toBe(false);
        expect(await store.search(kb, { ...q, filter: { fileIds: [] } }), mode).toEqual([]);
        expect(await store.search(kb, { ...q, filter: { fileIds: ["x' OR '1'='1"] } }), mode).toEqual([]);
      }
    });

    it('ranks a chunk that matches both the words and the vector first in hybrid mode', async () => {
      const kb = await withCorpus();
      await store.upsert(kb, [
        chunk('both', 'target', 'Reset the router password from the network panel.', unit(1, 0.1), 0),
        chunk('words-only', 'words', 'Router password rules and router password history.', unit(6), 0),
        chunk('vector-only', 'vector', 'Opening hours of the cafeteria.', unit(1), 0),
      ]);
      const hits = await store.search(kb, { mode: 'hybrid', text: 'reset router password', vector: unit(1, 0.05), topK: 5 });
      expect(ids(hits)[0]).toBe('both');
      expect(ids(hits)).toContain('words-only');
      expect(ids(hits)).toContain('vector-only');
    });

    it('finds a Chinese chunk with a Chinese BM25 query', async () => {
      const kb = await withCorpus();
      const hits = await store.search(kb, { mode: 'bm25', text: '年假怎么申请？', topK: 3 });
      expect(ids(hits)[0]).toBe('leave');
      const mixed = await store.search(kb, { mode: 'bm25', text: '轮换 VPN 密钥', topK: 3 });
      expect(ids(mixed)[0]).toBe('vpn-zh');
    });

    it('returns nothing from an empty knowledge base in every mode', async () => {
      const kb = await freshKb();
      for (const mode of MODES) expect(await store.search(kb, { mode, text: 'anything', vector: unit(1), topK: 5 })).toEqual([]);
      expect(await store.count(kb)).toBe(0);
      const batches: StoredChunk[][] = [];
      for await (const batch of store.scan(kb)) batches.push(batch);
      expect(batches.flat()).toEqual([]);
    });

    it('rejects vectors of the wrong dimension with DIMENSION_MISMATCH', async () => {
      const kb = await withCorpus();
      const wrong = new Float32Array(DIM + 1).fill(0.1);
      await expect(store.upsert(kb, [chunk('w', 'f', 'wrong', wrong)])).rejects.toSatisfy((e) =>
        isTeamKbError(e, 'DIMENSION_MISMATCH'),
      );
      await expect(store.search(kb, { mode: 'dense', vector: wrong, topK: 3 })).rejects.toSatisfy((e) =>
        isTeamKbError(e, 'DIMENSION_MISMATCH'),
      );
      await expect(store.ensure(kb, DIM * 2)).rejects.toSatisfy((e) => isTeamKbError(e, 'DIMENSION_MISMATCH'));
      expect(await store.count(kb)).toBe(CORPUS.length);
    });

    it('round-trips unicode text, metadata and file ids unchanged', async () => {
      const kb = await freshKb();
      const text = '引号 "double" \'single\' `tick` 反斜杠 \\ 换行\n表情 😀👍🏽 — «ok» ½ 𠀋';
      const original: StoredChunk = {
        id: 'uni-😀',
        fileId: '文件 "1".md',
        ordinal: 7,
        text,
        meta: { source: '目录/文件 "1".md', page: 3, heading: '第一章 › 引言 😀', start: 5, end: 60 },
        vector: unit(7),
      };
      await store.upsert(kb, [original]);
      const [hit] = await store.search(kb, { mode: 'bm25', text: '表情 引号', topK: 1 });
      expect(hit?.chunk).toEqual({ id: original.id, fileId: original.fileId, ordinal: 7, text, meta: original.meta });
      const [dense] = await store.search(kb, { mode: 'dense', vector: unit(7), topK: 1, filter: { fileIds: [original.fileId] } });
      expect(dense?.chunk.text).toBe(text);
    });

    it('serves keyword-only knowledge bases in bm25 and rejects dense search clearly', async () => {
      const kb = await freshKb(null, 'keywords');
      await store.upsert(
        kb,
        CORPUS.map(({ vector: _vector, ...rest }) => rest),
      );
      const hits = await store.search(kb, { mode: 'bm25', text: 'printer badge', topK: 3 });
      expect(ids(hits)[0]).toBe('printer');
      const hybrid = await store.search(kb, { mode: 'hybrid', text: 'printer badge', topK: 3 });
      expect(ids(hybrid)[0]).toBe('printer');
      const dense = store.search(kb, { mode: 'dense', vector: unit(4), topK: 3 });
      await expect(dense).rejects.toThrow(/keyword-only/);
      await expect(store.upsert(kb, [chunk('v', 'f', 'with vector', unit(1))])).rejects.toSatisfy((e) =>
        isTeamKbError(e, 'DIMENSION_MISMATCH'),
      );
    });

    it('gives scores on 0..1 in descending order in every mode', async () => {
      const kb = await withCorpus();
      for (const mode of MODES) {
        const hits = await store.search(kb, { mode, text: 'badge printer VPN 年假', vector: unit(4, 0.5), topK: 6 });
        expect(hits.length, mode).toBeGreaterThan(1);
        for (const [i, hit] of hits.entries()) {
          expect(hit.score, mode).toBeGreaterThanOrEqual(0);
          expect(hit.score, mode).toBeLessThanOrEqual(1);
          if (i > 0) expect(hit.score, mode).toBeLessThanOrEqual(hits[i - 1]!.score);
        }
      }
      const [exact] = await store.search(kb, { mode: 'dense', vector: unit(4), topK: 1 });
      expect(exact?.score).toBeCloseTo(1, 3);
    });

    it('keeps knowledge bases apart', async () => {
      const a = await withCorpus();
      const b = await freshKb();
      await store.upsert(b, [chunk('only-b', 'b-file', 'Printer toner is in cabinet B.', unit(4), 0)]);
      expect(ids(await store.search(b, { mode: 'bm25', text: 'printer', topK: 10 }))).toEqual(['only-b']);
      expect(ids(await store.search(a, { mode: 'bm25', text: 'printer', topK: 10 }))).not.toContain('only-b');
    });

    it('reads one chunk by id (passage pages), and nothing for an unknown id or another KB', async (ctx) => {
      if (!store.chunkById) return ctx.skip();
      const kb = await withCorpus();
      const found = await store.chunkById(kb, 'vpn-zh');
      expect(found).toMatchObject({ id: 'vpn-zh', fileId: 'it-guide', ordinal: 1, text: CORPUS[1]?.text, meta: CORPUS[1]?.meta });
      expect(await store.chunkById(kb, "nope' OR '1'='1")).toBeUndefined();
      expect(await store.chunkById(await freshKb(), 'vpn-zh')).toBeUndefined();
      expect(await store.chunkById(`never created ${counter}`, 'vpn-zh')).toBeUndefined();
      const odd = chunk('id "q" \\ \n 😀 \' OR 1=1', 'f', 'odd id', unit(1), 0);
      await store.upsert(kb, [odd]);
      expect((await store.chunkById(kb, odd.id))?.text).toBe('odd id');
    });

    it('reads the chunks of one file at given ordinals (neighbours), never those of another file', async (ctx) => {
      if (!store.chunksAt) return ctx.skip();
      const kb = await withCorpus();
      const odd = 'o\'brien") OR 1=1 -- 文件 \\ "';
      await store.upsert(kb, [chunk('odd-0', odd, 'zero', unit(1), 0), chunk('odd-2', odd, 'two', unit(1), 2)]);
      const sorted = (chunks: { id: string }[]) => chunks.map((c) => c.id).sort();
      expect(sorted(await store.chunksAt(kb, 'it-guide', [0, 1, 5]))).toEqual(['vpn', 'vpn-zh']);
      expect(await store.chunksAt(kb, 'it-guide', [1])).toEqual([
        { id: 'vpn-zh', fileId: 'it-guide', ordinal: 1, text: CORPUS[1]?.text, meta: CORPUS[1]?.meta },
      ]);
      expect(sorted(await store.chunksAt(kb, odd, [1, 2, 3]))).toEqual(['odd-2']);
      expect(await store.chunksAt(kb, "it-guide' OR '1'='1", [0, 1])).toEqual([]);
      expect(await store.chunksAt(kb, 'it-guide', [])).toEqual([]);
      expect(await store.chunksAt(await freshKb(), 'it-guide', [0])).toEqual([]);
    });

    it('scans every chunk with its vector', async () => {
      const kb = await withCorpus();
      const seen: StoredChunk[] = [];
      for await (const batch of store.scan(kb, 4)) {
        expect(batch.length).toBeLessThanOrEqual(4);
        seen.push(...batch);
      }
      expect(seen.map((c) => c.id).sort()).toEqual(CORPUS.map((c) => c.id).sort());
      for (const c of seen) {
        const original = CORPUS.find((o) => o.id === c.id)!;
        expect(c.text).toBe(original.text);
        expect(c.meta).toEqual(original.meta);
        expect(c.vector?.length).toBe(DIM);
        for (let d = 0; d < DIM; d++) expect(c.vector![d]).toBeCloseTo(original.vector![d]!, 5);
      }
    });

    it('keeps every chunk of concurrent upserts into one knowledge base', async () => {
      const kb = await freshKb();
      const batches = Array.from({ length: 6 }, (_, b) =>
        Array.from({ length: 5 }, (_, i) => chunk(`c${b}-${i}`, `file-${b}`, `batch ${b} item ${i} parallel`, unit(b + i), i)),
      );
      await Promise.all([
        ...batches.map((batch) => store.upsert(kb, batch)),
        store.search(kb, { mode: 'hybrid', text: 'parallel', vector: unit(1), topK: 3 }),
      ]);
      expect(await store.count(kb)).toBe(30);
    });

    it('drops a knowledge base with all its chunks', async () => {
      const kb = await withCorpus();
      await store.drop(kb);
      expect(await store.count(kb)).toBe(0);
      await store.ensure(kb, DIM);
      expect(await store.search(kb, { mode: 'bm25', text: 'printer', topK: 5 })).toEqual([]);
      await store.drop(kb);
      await store.drop(kb);
    });
  });
}
