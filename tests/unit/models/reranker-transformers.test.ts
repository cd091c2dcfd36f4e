import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createReranker } from '../../../adapters/models/create-reranker.js';
import { createTransformersReranker, relevanceFromLogits } from '../../../adapters/models/reranker-transformers.js';
import { isTeamKbError } from '../../../core/errors.js';
import type { Reranker } from '../../../core/reranker.js';
import { writeTinyCrossEncoder } from './helpers/tiny-cross-encoder.js';

const root = mkdtempSync(join(tmpdir(), 'teamkb-reranker-'));
const weights = { rotate: 2, vpn: 2, key: 2, the: -0.5, lunch: -0.5, menu: -0.5, how: 0, do: 0, i: 0 };
const tinyDir = writeTinyCrossEncoder(join(root, 'tiny-reranker'), { weights, unknownWeight: -0.5, bias: -1 });
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

const tiny = (batch?: { maxBatchSize: number; maxBatchChars: number }): Promise<Reranker> =>
  createTransformersReranker({ model: tinyDir, name: 'tiny-reranker', cacheDir: root, threads: 1, ...batch });

describe('transformers reranker on a generated cross-encoder', () => {
  it('scores each passage with the sigmoid of its logit, reading the query and passage as a pair', async () => {
    const reranker = await tiny();
    expect(reranker.id).toBe('transformers:tiny-reranker');
    const scores = await reranker.rerank('How do I rotate the VPN key?', ['Rotate the VPN key.', 'The lunch menu', 'vpn']);
    // Only passage tokens count: rotate + the + vpn + key (+ "." unknown) + bias.
    expect(scores[0]).toBeCloseTo(sigmoid(2 - 0.5 + 2 + 2 - 0.5 - 1), 5);
    expect(scores[1]).toBeCloseTo(sigmoid(-0.5 * 3 - 1), 5);
    expect(scores[2]).toBeCloseTo(sigmoid(2 - 1), 5);
    for (const s of scores) expect(s).toBeGreaterThanOrEqual(0);
    for (const s of scores) expect(s).toBeLessThanOrEqual(1);
  });

  it('keeps passage order across batches, and a passage scores the same whatever its batch-mates', async () => {
    const passages = [
      'vpn key',
      'the lunch menu today',
      'rotate',
      'a much longer passage about the lunch menu and the vpn',
      'key',
    ];
    const alone = await Promise.all(passages.map(async (p) => ((await (await tiny()).rerank('vpn', [p])) as number[])[0]));
    const batched = await (await tiny({ maxBatchSize: 2, maxBatchChars: 10_000 })).rerank('vpn', passages);
    const together = await (await tiny({ maxBatchSize: 16, maxBatchChars: 100_000 })).rerank('vpn', passages);
    for (const [i, score] of alone.entries()) {
      expect(batched[i]).toBeCloseTo(score as number, 5);
      expect(together[i]).toBeCloseTo(score as number, 5);
    }
  });

  it('truncates pairs longer than the model allows instead of failing', async () => {
    const scores = await (await tiny()).rerank('vpn', ['vpn '.repeat(3000), 'key']);
    expect(scores).toHaveLength(2);
    expect(scores[0]).toBeCloseTo(1, 5);
  });

  it('stops between batches when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await (await tiny()).rerank('vpn', ['vpn'], controller.signal).catch((err: unknown) => err);
    expect(isTeamKbError(error, 'CANCELLED')).toBe(true);
  });

  it('refuses a model without a classification head (e.g. an embedding model)', async () => {
    const dir = writeTinyCrossEncoder(join(root, 'headless'), {
      weights,
      unknownWeight: 0,
      bias: 0,
      outputName: 'last_hidden_state',
    });
    const error = await createTransformersReranker({ model: dir, name: 'headless', cacheDir: root, threads: 1 }).catch(
      (err: unknown) => err,
    );
    expect(isTeamKbError(error, 'RERANKER_UNAVAILABLE')).toBe(true);
    expect((error as Error).message).toContain('no classification head');
  });

  it('is shared: the same spec gives the same instance', async () => {
    const spec = `transformers:${tinyDir}`;
    const first = await createReranker(spec, { modelsDir: root, threads: 1 });
    expect(first?.id).toBe('transformers:tiny-reranker');
    expect(await createReranker(spec, { modelsDir: root, threads: 1 })).toBe(first);
  });
});

describe('relevanceFromLogits', () => {
  it('uses the sigmoid of a single logit and the last label of a softmax head', () => {
    expect(relevanceFromLogits({ data: [0, 2], dims: [2, 1] }, 2)).toEqual([0.5, sigmoid(2)]);
    const [twoLabel] = relevanceFromLogits({ data: [0, Math.log(3)], dims: [1, 2] }, 1);
    expect(twoLabel).toBeCloseTo(0.75, 10);
  });
});

const realDir = process.env.TEAMKB_TEST_RERANKER;
if (!realDir) {
  console.warn(
    '[notice] skipping the real reranker model test: set TEAMKB_TEST_RERANKER to a Transformers.js cross-encoder folder (e.g. models/bge-reranker-base)',
  );
}

describe.skipIf(!realDir)('transformers reranker on a real model (TEAMKB_TEST_RERANKER)', () => {
  it('ranks the passage that answers the question first, in English and Chinese', { timeout: 120_000 }, async () => {
    const reranker = (await createReranker(`transformers:${realDir}`, { modelsDir: root, threads: 2 })) as Reranker;
    const english = await reranker.rerank('How do I rotate the VPN key?', [
      'The cafeteria serves dumplings on Fridays.',
      'To rotate the VPN key, open the admin console, choose Keys, then Rotate; clients reconnect within a minute.',
      'Parking permits are renewed every January.',
    ]);
    expect(english.indexOf(Math.max(...english))).toBe(1);
    const chinese = await reranker.rerank('如何更换VPN密钥？', [
      '食堂周五供应饺子。',
      '更换VPN密钥：打开管理控制台，选择密钥，然后点击轮换。',
    ]);
    expect(chinese[1]).toBeGreaterThan(chinese[0] as number);
    for (const s of [...english, ...chinese]) {
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThanOrEqual(1);
    }
  });
});
