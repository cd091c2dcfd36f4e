import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFakeEmbedder } from '../../../adapters/models/embedder-fake.js';
import type { Embedder } from '../../../core/embedder.js';
import { bm25ScoreFromRaw } from '../../../core/retrieval/scores.js';
import type { Hit } from '../../../core/vector-store.js';
import { nearDuplicateSet } from '../../../scripts/eval/built-sets.js';
import { cachedEmbedder } from '../../../scripts/eval/embed-cache.js';
import { crossValidate, minimaxRegret, referenceFusion, replayHybrid } from '../../../scripts/eval/fusion-grid.js';

const hit = (id: string, score: number): Hit => ({
  chunk: { id, fileId: id, ordinal: 0, text: id, meta: { source: id } },
  score,
});

describe('choosing the fusion setting', () => {
  const scores = {
    questions: { 'weighted 0.2': 0.9, 'weighted 0.4': 0.89, 'weighted 0.5': 0.8 },
    news: { 'weighted 0.2': 0.7, 'weighted 0.4': 0.79, 'weighted 0.5': 0.8 },
    english: { 'weighted 0.2': 0.8, 'weighted 0.4': 0.86, 'weighted 0.5': 0.84 },
  };

  it('takes the setting whose worst loss against each set’s best is smallest, not the best mean', () => {
    expect(minimaxRegret(scores, ['questions', 'news'])).toBe('weighted 0.4');
    expect(minimaxRegret(scores, ['questions'])).toBe('weighted 0.2');
  });

  it('cross-validates by leaving each set out', () => {
    const rows = crossValidate(scores);
    expect(rows.map((r) => r.set)).toEqual(['questions', 'news', 'english']);
    const news = rows.find((r) => r.set === 'news');
    expect(news?.chosen).toBe('weighted 0.4');
    expect(news?.heldOutMrr).toBeCloseTo(0.79);
    expect(news?.best).toBe('weighted 0.5');
    expect(crossValidate({ only: scores.news })).toEqual([]);
  });

  it('replays to the reference fusion when lists are complete and weights are 0.5/0.5', () => {
    const dense = [hit('a', 0.9), hit('b', 0.7), hit('c', 0.65), hit('d', 0.2)];
    const bm25 = [hit('c', bm25ScoreFromRaw(30)), hit('d', bm25ScoreFromRaw(12)), hit('b', bm25ScoreFromRaw(3)), hit('a', 0)];
    const ids = (hits: Hit[]) => hits.map((h) => h.chunk.id);
    const reference = ids(referenceFusion(dense, bm25, 4));
    expect(ids(replayHybrid(dense, bm25, { method: 'weighted', denseWeight: 0.5 }, 4, dense.length))).toEqual(reference);
    expect(ids(replayHybrid(dense, bm25, { method: 'weighted', denseWeight: 0.9 }, 4, dense.length))[0]).toBe('a');
  });
});

describe('embedding cache', () => {
  const dir = mkdtempSync(join(tmpdir(), 'teamkb-embed-cache-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('embeds each text once across runs and returns the same vectors', async () => {
    const calls: string[] = [];
    const counting = (): Embedder => {
      const inner = createFakeEmbedder(16);
      return {
        ...inner,
        embed: (texts, kind, signal) => {
          calls.push(...texts);
          return inner.embed(texts, kind, signal);
        },
      };
    };
    const first = cachedEmbedder(counting(), dir);
    const a = await first.embed(['年假怎么申请', 'vpn key'], 'passage');
    const again = cachedEmbedder(counting(), dir);
    const b = await again.embed(['vpn key', 'new text', '年假怎么申请'], 'passage');
    expect(calls).toEqual(['年假怎么申请', 'vpn key', 'new text']);
    expect(Array.from(b[0] as Float32Array)).toEqual(Array.from(a[1] as Float32Array));
    expect(Array.from(b[2] as Float32Array)).toEqual(Array.from(a[0] as Float32Array));
    expect(again.hits()).toBe(2);
    await again.embed(['vpn key'], 'query');
    expect(calls.at(-1)).toBe('vpn key');
  });
});

describe('built sets', () => {
  it('adds a near-duplicate without the answer-bearing sentence for each passage', () => {
    const base = {
      name: 'tiny',
      dir: '.',
      passages: [{ id: 'p1', title: '', text: '公司成立于一九九八年。总部设在上海。员工超过三千人。业务遍布全国各地。' }],
      queries: [{ id: 'q1', question: '公司总部在哪里？', answers: ['上海'], positiveIds: ['p1'] }],
    };
    const set = nearDuplicateSet(base);
    expect(set.name).toBe('neardup_tiny');
    expect(set.queries).toEqual(base.queries);
    const dup = set.passages.find((p) => p.id === 'p1~dup');
    expect(dup?.text).toContain('一九九八年');
    expect(dup?.text).not.toContain('上海');
  });
});
