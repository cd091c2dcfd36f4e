import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerServiceFor, type CoreServices } from '../../../bots/app-services.js';
import type { AnswerPart, FinalAnswer } from '../../../core/answer.js';
import { openTestCore } from '../../helpers/core.js';
import { sharedFixture } from '../../helpers/shared.js';

const dir = sharedFixture('eval/cmrc2018_trial', 'extractive answers on the CMRC trial set');

interface Query {
  question: string;
  answers: string[];
  positive_ids: string[];
}

const lines = <T>(path: string): T[] =>
  readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as T);

describe.skipIf(!dir)('extractive mode on the CMRC trial set (no LLM, keyword-only KB)', () => {
  let core: CoreServices;
  beforeAll(async () => {
    ({ core } = await openTestCore({ TEAMKB_EMBEDDER: 'none' }));
    await core.kb.createKb('cmrc');
    const corpus = lines<{ id: string; title: string; text: string }>(join(dir as string, 'corpus.jsonl'));
    const summary = await core.kb.ingestUploads(
      'cmrc',
      corpus.map((p) => ({ name: `${p.id}.txt`, bytes: Buffer.from(`${p.title}\n${p.text}`) })),
    );
    expect(summary.failed).toEqual([]);
  }, 120_000);
  afterAll(() => core?.close());

  it('quotes the passage holding the gold answer and cites it', async () => {
    const queries = lines<Query>(join(dir as string, 'queries.jsonl')).filter((_, i) => i % 100 === 0);
    const answers = answerServiceFor(core);
    let cited = 0;
    for (const q of queries) {
      const parts: AnswerPart[] = [];
      for await (const part of answers.answer({ mode: 'kb', kbs: ['cmrc'], question: q.question, topK: 3 })) parts.push(part);
      const done = parts.find((p): p is { type: 'done'; answer: FinalAnswer } => p.type === 'done');
      expect(done?.answer.mode).toBe('extractive');
      expect(done?.answer.markdown).toContain('当前没有加载语言模型');
      const gold = `${q.positive_ids[0]}.txt`;
      const citation = done?.answer.citations.find((c) => c.file === gold);
      if (citation && done?.answer.markdown.includes(q.answers[0] as string)) cited++;
    }
    console.log(`[extractive] ${cited}/${queries.length} CMRC questions quoted the gold passage with its citation`);
    expect(cited).toBeGreaterThanOrEqual(Math.ceil(queries.length * 0.8));
    expect(queries.length).toBe(10);
  }, 120_000);
});
