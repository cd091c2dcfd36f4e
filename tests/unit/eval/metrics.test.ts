import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { passageChunks } from '../../../scripts/eval/corpus-kb.js';
import { findQaSets, loadQaSet, queryLanguage } from '../../../scripts/eval/dataset.js';
import { answerChunkRank, passageRank, RankAccumulator } from '../../../scripts/eval/metrics.js';
import { fusionVerdict } from '../../../scripts/eval/report.js';
import type { SetResult } from '../../../scripts/eval/run-set.js';

const chunk = (passageId: string, text = '') => ({ passageId, text });

describe('retrieval metrics', () => {
  it('ranks passages by their first chunk, counting each passage once', () => {
    const hits = [chunk('a'), chunk('a'), chunk('b'), chunk('a'), chunk('c')];
    expect(passageRank(hits, new Set(['a']))).toBe(1);
    expect(passageRank(hits, new Set(['b']))).toBe(2);
    expect(passageRank(hits, new Set(['c']))).toBe(3);
    expect(passageRank(hits, new Set(['z']))).toBeUndefined();
    expect(passageRank(hits, new Set(['c', 'b']))).toBe(2);
  });

  it('counts a chunk-level hit only when the right passage chunk holds the answer', () => {
    const hits = [chunk('b', '答案在这里'), chunk('a', '没有'), chunk('a', '它是 42 号')];
    expect(answerChunkRank(hits, new Set(['a']), ['42'])).toBe(3);
    expect(answerChunkRank(hits, new Set(['a']), ['答案'])).toBeUndefined();
    expect(answerChunkRank(hits, new Set(['a']), [])).toBeUndefined();
  });

  it('turns ranks into hit@k and MRR@10', () => {
    const acc = new RankAccumulator();
    for (const rank of [1, 2, 4, 11, undefined]) acc.add(rank);
    const m = acc.result();
    expect(m.queries).toBe(5);
    expect(m.hit1).toBeCloseTo(0.2);
    expect(m.hit3).toBeCloseTo(0.4);
    expect(m.hit5).toBeCloseTo(0.6);
    expect(m.hit10).toBeCloseTo(0.6);
    expect(m.mrr10).toBeCloseTo((1 + 0.5 + 0.25) / 5);
  });
});

describe('QA set files', () => {
  it('reads corpus.jsonl and queries.jsonl, dropping queries without a known positive', () => {
    const dir = mkdtempSync(join(tmpdir(), 'teamkb-qa-'));
    writeFileSync(
      join(dir, 'corpus.jsonl'),
      '{"id":"p1","title":"T","text":"猫喜欢鱼。"}\n{"id":"p2","title":"U","text":"Dogs bark."}\n',
    );
    writeFileSync(
      join(dir, 'queries.jsonl'),
      [
        '{"id":"q1","question":" 猫喜欢什么？ ","answers":["鱼"],"positive_ids":["p1"]}',
        '{"id":"q2","question":"What do dogs do?","answers":["bark"],"positive_ids":["p2"]}',
        '{"id":"q3","question":"orphan","answers":[],"positive_ids":["missing"]}',
        '',
      ].join('\n'),
    );
    const set = loadQaSet(dir);
    expect(set.passages).toHaveLength(2);
    expect(set.queries.map((q) => q.question)).toEqual(['猫喜欢什么？', 'What do dogs do?']);
    expect(set.droppedQueries).toBe(1);
    expect(findQaSets(dir)).toEqual([dir]);
    expect(loadQaSet(dir, { limit: 1 }).queries).toHaveLength(1);
    expect(queryLanguage('猫喜欢什么？')).toBe('zh');
    expect(queryLanguage('What do dogs do?')).toBe('en');
  });

  it('names the file and line of a broken JSON line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'teamkb-qa-'));
    writeFileSync(join(dir, 'corpus.jsonl'), '{"id":"p1","text":"x"}\n{oops\n');
    writeFileSync(join(dir, 'queries.jsonl'), '');
    expect(() => loadQaSet(dir)).toThrow(/corpus\.jsonl: line 2/);
  });

  it('keeps the passage id on every chunk, whole or split', () => {
    const passages = [{ id: 'p1', title: '标题', text: '第一句话。'.repeat(60) }];
    const split = passageChunks(passages, { kind: 'chunks', chunkSize: 100, chunkOverlap: 20 });
    expect(split.length).toBeGreaterThan(2);
    expect(split.every((c) => c.fileId === 'p1' && Array.from(c.text).length <= 100)).toBe(true);
    const whole = passageChunks(passages, { kind: 'whole' }, true);
    expect(whole).toHaveLength(1);
    expect(whole[0]?.text.startsWith('标题\n第一句话。')).toBe(true);
  });
});

describe('fusion verdict', () => {
  const result = (rrf: number, weighted: number, queries: number): SetResult =>
    ({
      results: [
        { mode: 'hybrid-rrf', passage: { queries, hit1: rrf, mrr10: rrf } },
        { mode: 'hybrid-weighted', passage: { queries, hit1: weighted, mrr10: weighted } },
      ],
    }) as unknown as SetResult;

  it('weights sets by their number of queries', () => {
    expect(fusionVerdict([result(0.9, 0.8, 10), result(0.5, 0.6, 100)]).better).toBe('weighted');
    expect(fusionVerdict([result(0.9, 0.8, 100), result(0.5, 0.6, 10)]).better).toBe('rrf');
  });
});
