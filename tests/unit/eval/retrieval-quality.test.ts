import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openEmbedder, runEval, type SetResult } from '../../../scripts/eval/lib.js';
import { sharedFixture } from '../../helpers/shared.js';

/** bm25 only (no model), chunked at the product's default size, like a real KB. */
async function bm25(dir: string): Promise<SetResult> {
  const [result] = await runEval({ data: dir, embedder: null, chunkSize: 500, chunkOverlap: 80, wholePassages: false });
  if (!result) throw new Error(`no QA set in ${dir}`);
  return result;
}

function hit5(result: SetResult): number {
  const row = result.results.find((r) => r.mode === 'bm25');
  if (!row) throw new Error('no bm25 row');
  console.log(
    `[eval] ${result.set} bm25, ${row.variant}: hit@1 ${row.passage.hit1.toFixed(3)}, hit@5 ${row.passage.hit5.toFixed(3)}, MRR@10 ${row.passage.mrr10.toFixed(3)} over ${row.passage.queries} queries`,
  );
  return row.passage.hit5;
}

/** A small QA set made here, so the end-to-end path runs without the shared fixtures. */
function generatedSet(): string {
  const dir = mkdtempSync(join(tmpdir(), 'teamkb-eval-set-'));
  const topics = [
    ['vpn', 'Rotate the VPN key every ninety days from the admin console.', 'How often is the VPN key rotated?', 'ninety days'],
    [
      'leave',
      'Annual leave is twenty five days per year for every employee.',
      'How many days of annual leave do employees get?',
      'twenty five',
    ],
    ['lunch', '食堂的午餐时间是中午十二点到一点半。', '食堂午餐时间是几点？', '十二点'],
    ['badge', '丢失门禁卡后请到前台补办，费用为五十元。', '门禁卡丢了去哪里补办？', '前台'],
  ];
  writeFileSync(join(dir, 'corpus.jsonl'), topics.map(([id, text]) => JSON.stringify({ id, title: id, text })).join('\n'));
  writeFileSync(
    join(dir, 'queries.jsonl'),
    topics
      .map(([id, , question, answer]) => JSON.stringify({ id: `q-${id}`, question, answers: [answer], positive_ids: [id] }))
      .join('\n'),
  );
  return dir;
}

describe('retrieval quality (bm25 over the embedded store)', () => {
  it('finds the right passage for questions that reuse its words', async () => {
    const result = await bm25(generatedSet());
    const row = result.results[0];
    expect(row?.passage.queries).toBe(4);
    expect(row?.passage.hit1).toBe(1);
    expect(row?.answerChunk?.hit1).toBe(1);
    expect(row?.answerWindow?.hit1).toBe(1);
    expect(row?.byLanguage.zh?.queries).toBe(2);
    expect(row?.byLanguage.en?.queries).toBe(2);
  });

  const cmrc = sharedFixture('eval/cmrc2018_trial', 'CMRC 2018 trial retrieval check');
  it.skipIf(!cmrc)('CMRC 2018 trial: bm25 hit@5 ≥ 0.8 (measured .997 when written)', async () => {
    const result = await bm25(cmrc as string);
    expect(result.queries).toBe(1000);
    expect(hit5(result)).toBeGreaterThanOrEqual(0.8);
  });

  const xquad = sharedFixture('eval/xquad_zh_sample20', 'XQuAD zh sample retrieval check');
  it.skipIf(!xquad)('XQuAD zh sample: bm25 hit@5 ≥ 0.8 (measured .992 when written)', async () => {
    const result = await bm25(xquad as string);
    expect(result.queries).toBe(240);
    expect(hit5(result)).toBeGreaterThanOrEqual(0.8);
  });

  const model = sharedFixture('models/bge-small-zh-v1.5', 'dense and hybrid retrieval check with bge-small-zh');
  it.skipIf(!xquad || !model)('XQuAD zh sample: dense and weighted hybrid find the passage (bge-small-zh)', async () => {
    const embedder = await openEmbedder(`transformers:${model}`, 1);
    try {
      const [result] = await runEval({ data: xquad as string, embedder, chunkSize: 500, chunkOverlap: 80, chunked: false });
      const row = (mode: string) => result?.results.find((r) => r.mode === mode)?.passage;
      console.log(
        `[eval] xquad_zh_sample20 whole passages hit@5: dense ${row('dense')?.hit5.toFixed(3)}, hybrid-weighted ${row('hybrid-weighted')?.hit5.toFixed(3)}, hybrid-rrf ${row('hybrid-rrf')?.hit5.toFixed(3)}`,
      );
      expect(row('dense')?.hit5).toBeGreaterThanOrEqual(0.9);
      expect(row('hybrid-weighted')?.hit5).toBeGreaterThanOrEqual(0.95);
      expect(row('reference')?.hit5).toBeGreaterThanOrEqual(0.95);
      expect(Object.keys(result?.grid['whole passages'] ?? {})).toContain('weighted 0.4');
    } finally {
      await embedder?.close?.();
    }
  });
});
