import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFakeEmbedder } from '../../../adapters/models/embedder-fake.js';
import { createFakeReranker } from '../../../adapters/models/reranker-fake.js';
import type { Reranker } from '../../../core/reranker.js';
import { resolveRerankerSpec, runEval, type SetResult } from '../../../scripts/eval/lib.js';

function generatedSet(): string {
  const dir = mkdtempSync(join(tmpdir(), 'teamkb-eval-rerank-'));
  const topics = [
    ['vpn', 'Rotate the VPN key every ninety days from the admin console.', 'How often is the VPN key rotated?'],
    ['leave', 'Annual leave is twenty five days per year for every employee.', 'How many days of annual leave do employees get?'],
    ['lunch', 'Lunch in the cafeteria is served from noon until half past one.', 'When is lunch served in the cafeteria?'],
  ];
  writeFileSync(join(dir, 'corpus.jsonl'), topics.map(([id, text]) => JSON.stringify({ id, title: id, text })).join('\n'));
  writeFileSync(
    join(dir, 'queries.jsonl'),
    topics.map(([id, , question]) => JSON.stringify({ id: `q-${id}`, question, answers: [], positive_ids: [id] })).join('\n'),
  );
  return dir;
}

/** Scores every passage the opposite of term overlap, so the right passage sinks. */
const contrarian: Reranker = {
  id: 'test:contrarian',
  async rerank(query, passages) {
    return (await createFakeReranker().rerank(query, passages)).map((s) => 1 - s);
  },
};

const row = (result: SetResult | undefined, mode: string) => result?.results.find((r) => r.mode === mode);

describe('eval reranked mode', () => {
  const data = generatedSet();
  const base = { data, chunkSize: 500, chunkOverlap: 80, chunked: false };

  it('reranks bm25 candidates for keyword-only runs and names the reranker', async () => {
    const [result] = await runEval({ ...base, embedder: null, reranker: createFakeReranker() });
    expect(result?.reranker).toBe('fake:term-overlap');
    expect(row(result, 'reranked')?.passage.queries).toBe(3);
    expect(row(result, 'reranked')?.passage.hit1).toBe(1);
  });

  it('reorders the hybrid ranking by the reranker scores', async () => {
    const [result] = await runEval({ ...base, embedder: createFakeEmbedder(64), reranker: contrarian });
    expect(row(result, 'hybrid-weighted')?.passage.hit1).toBe(1);
    expect(row(result, 'reranked')?.passage.hit1).toBe(0);
  });

  it('has no reranked mode without a reranker', async () => {
    const [result] = await runEval({ ...base, embedder: null });
    expect(row(result, 'reranked')).toBeUndefined();
    expect(result?.reranker).toBeUndefined();
  });

  it('takes the reranker spec from --reranker, else TEAMKB_RERANKER, else none', () => {
    expect(resolveRerankerSpec('fake', 'bge-reranker-base')).toBe('fake');
    expect(resolveRerankerSpec(undefined, 'bge-reranker-base')).toBe('bge-reranker-base');
    expect(resolveRerankerSpec(undefined, undefined)).toBe('none');
  });
});
