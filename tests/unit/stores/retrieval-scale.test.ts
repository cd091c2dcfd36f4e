import { describe, expect, it } from 'vitest';
import { fuse } from '../../../core/retrieval/fusion.js';
import { COMPLETE_LISTS_BELOW_CHUNKS, HYBRID_POOL, hybridPool } from '../../../core/retrieval/pool.js';
import {
  bm25RawFromScore,
  bm25ScoreFromRaw,
  denseScoreFromCosine,
  denseScoreFromSquaredL2,
} from '../../../core/retrieval/scores.js';
import { tokenize, tokensForIndex } from '../../../core/text/tokenize.js';
import type { Hit } from '../../../core/vector-store.js';

const hit = (id: string, score: number): Hit => ({
  chunk: { id, fileId: 'f', ordinal: 0, text: id, meta: { source: 'f' } },
  score,
});

describe('relevance scale', () => {
  it('maps dense and bm25 onto 0..1, keeping order', () => {
    expect(denseScoreFromCosine(-0.3)).toBe(0);
    expect(denseScoreFromCosine(0.72)).toBe(0.72);
    expect(denseScoreFromSquaredL2(0)).toBe(1);
    expect(denseScoreFromSquaredL2(2)).toBe(0);
    expect(bm25ScoreFromRaw(0)).toBe(0);
    expect(bm25ScoreFromRaw(10)).toBeCloseTo(0.5);
    expect(bm25ScoreFromRaw(5)).toBeLessThan(bm25ScoreFromRaw(6));
    expect(bm25ScoreFromRaw(1e9)).toBeLessThanOrEqual(1);
    expect(bm25ScoreFromRaw(Number.NaN)).toBe(0);
  });
});

describe('fusion', () => {
  const dense = [hit('a', 0.9), hit('b', 0.8), hit('c', 0.3)];
  const bm25 = [hit('c', 0.7), hit('b', 0.6), hit('d', 0.1)];

  it('ranks by weighted min-max fusion and keeps scores on the absolute scale', () => {
    const fused = fuse(dense, bm25, { method: 'weighted', denseWeight: 0.5, topK: 4 });
    expect(fused.map((h) => h.chunk.id)).toEqual(['b', 'a', 'c', 'd']);
    // b's own evidence: 0.5·0.8 + 0.5·0.6 = 0.7 — the best on offer, so the first hit scores that.
    expect(fused[0]?.score).toBeCloseTo(0.7);
    for (let i = 1; i < fused.length; i++) expect(fused[i]!.score).toBeLessThanOrEqual(fused[i - 1]!.score);
    expect(fused.at(-1)?.score).toBeCloseTo(0.05);
  });

  it('normalises BM25 on its raw value, not on the saturated score', () => {
    // Saturated scores .8/.6/.2 put "a" two thirds up the BM25 range; raw values 40/15/2.5 put it a
    // third up, so "b" (second in both lists) wins once BM25 is read on its own scale.
    const denseList = [hit('a', 0.9), hit('b', 0.6), hit('c', 0.3)];
    const bm25List = [hit('b', bm25ScoreFromRaw(40)), hit('a', bm25ScoreFromRaw(15)), hit('d', bm25ScoreFromRaw(2.5))];
    expect(fuse(denseList, bm25List, { method: 'weighted', denseWeight: 0.5, topK: 1 })[0]?.chunk.id).toBe('b');
    expect(bm25RawFromScore(bm25ScoreFromRaw(15))).toBeCloseTo(15);
    expect(bm25RawFromScore(0)).toBe(0);
  });

  it('fuses complete lists in a small KB and a deep pool from each retriever in a large one', () => {
    expect(hybridPool(5, 1_200)).toEqual({ depth: 1_200, complete: true });
    expect(hybridPool(5, 30)).toEqual({ depth: HYBRID_POOL, complete: true });
    expect(hybridPool(5, COMPLETE_LISTS_BELOW_CHUNKS)).toEqual({ depth: HYBRID_POOL, complete: false });
    expect(hybridPool(100, undefined)).toEqual({ depth: 400, complete: false });
    expect(hybridPool(5, 1_200, 40)).toEqual({ depth: 40, complete: false });
    expect(HYBRID_POOL).toBeGreaterThanOrEqual(100);
  });

  it('reads a cut-off BM25 list from raw 0 when asked, as a complete list nearly does', () => {
    // Over its own range (raw 20..10) c's BM25 lead is worth a whole unit and beats a's dense lead;
    // from raw 0 it is worth half, and the dense leader a wins.
    const denseList = [hit('a', 0.9), hit('c', 0.7), hit('e', 0.6)];
    const bm25List = [hit('c', bm25ScoreFromRaw(20)), hit('a', bm25ScoreFromRaw(10))];
    const top = (bm25Floor: 'list' | 'zero') =>
      fuse(denseList, bm25List, { method: 'weighted', denseWeight: 0.5, bm25Floor, topK: 1 })[0]?.chunk.id;
    expect(top('list')).toBe('c');
    expect(top('zero')).toBe('a');
  });

  it('lets the dense weight move the order', () => {
    expect(fuse(dense, bm25, { method: 'weighted', denseWeight: 1, topK: 1 })[0]?.chunk.id).toBe('a');
    expect(fuse(dense, bm25, { method: 'weighted', denseWeight: 0, topK: 1 })[0]?.chunk.id).toBe('c');
  });

  it('supports reciprocal rank fusion', () => {
    const fused = fuse(dense, bm25, { method: 'rrf', topK: 3 });
    // c: 1/61 + 1/63 edges out b: 2/62.
    expect(fused.map((h) => h.chunk.id)).toEqual(['c', 'b', 'a']);
    for (const h of fused) expect(h.score).toBeGreaterThanOrEqual(0);
  });

  it('degrades to the one list that is there, and to nothing', () => {
    expect(fuse([], bm25, { method: 'weighted', topK: 2 }).map((h) => [h.chunk.id, h.score])).toEqual([
      ['c', 0.7],
      ['b', expect.closeTo(0.6 + 0.5 * 0, 5)],
    ]);
    expect(fuse([], [], { method: 'rrf', topK: 5 })).toEqual([]);
    expect(fuse(dense, bm25, { method: 'weighted', topK: 0 })).toEqual([]);
  });
});

describe('tokenize', () => {
  it('cuts Chinese into words and sub-words, lower-cases English, drops punctuation and emoji', () => {
    const tokens = tokenize('如何轮换VPN密钥？ The Quick fox, 😀 中华人民共和国 ＡＢＣ');
    expect(tokens).toEqual(
      expect.arrayContaining(['轮换', 'vpn', '密钥', 'the', 'quick', 'fox', '共和国', '中华人民共和国', 'abc']),
    );
    expect(tokens.some((t) => /[？，😀\s]/u.test(t))).toBe(false);
    expect(tokenize('')).toEqual([]);
    expect(tokenize('！？ 😀')).toEqual([]);
  });

  it('is deterministic and joins with single spaces for the index', () => {
    const text = '员工年假申请流程 annual leave';
    expect(tokenize(text)).toEqual(tokenize(text));
    expect(tokensForIndex(text)).toBe(tokenize(text).join(' '));
  });
});
