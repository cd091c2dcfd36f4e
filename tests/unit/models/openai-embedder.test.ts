import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbedder } from '../../../adapters/models/create-embedder.js';
import { createOpenAiEmbedder } from '../../../adapters/models/embedder-openai.js';
import type { Embedder } from '../../../core/embedder.js';
import { isTeamKbError } from '../../../core/errors.js';
import { embedderContract } from '../../contract/embedder.contract.js';
import { startFakeOpenAi } from './helpers/fake-openai-server.js';
import { deadUrl, type Loopback } from './helpers/loopback.js';

let server: Loopback;
beforeAll(async () => {
  server = await startFakeOpenAi({ apiKey: 'sk-test', dim: 48 });
});
afterAll(async () => {
  await server.close();
});

embedderContract('openai-compatible (loopback)', async () => {
  const embedder = await createEmbedder(`openai:test-model@${server.url}/v1`, {
    modelsDir: '.',
    apiKey: 'sk-test',
  });
  return embedder ?? undefined;
});

describe('openai-compatible embedder', () => {
  it('probes the dimension, sends the key and batches requests', async () => {
    const embedder = (await createOpenAiEmbedder({
      model: 'test-model',
      baseUrl: server.url,
      apiKey: 'sk-test',
      batchSize: 2,
    })) as Embedder;
    expect(embedder.id).toBe('openai:test-model');
    expect(embedder.dim).toBe(48);
    const before = server.seen.length;
    const vectors = await embedder.embed(['a', 'b', 'c', 'd', 'e'], 'passage');
    expect(vectors).toHaveLength(5);
    const requests = server.seen.slice(before);
    expect(requests.map((r) => (JSON.parse(r.body) as { input: string[] }).input.length)).toEqual([2, 2, 1]);
    expect(requests.every((r) => r.path === '/v1/embeddings' && r.headers.authorization === 'Bearer sk-test')).toBe(true);
  });

  it('retries 429 answers, honouring Retry-After', async () => {
    const limited = await startFakeOpenAi({ rateLimitFirst: 2 });
    try {
      const embedder = await createOpenAiEmbedder({ model: 'test-model', baseUrl: limited.url });
      expect(embedder.dim).toBe(32);
      expect(limited.seen.filter((r) => r.path === '/v1/embeddings')).toHaveLength(3);
    } finally {
      await limited.close();
    }
  });

  it('names the key variable when the key is rejected', async () => {
    const error = await createOpenAiEmbedder({ model: 'test-model', baseUrl: server.url, apiKey: 'wrong' }).catch(
      (e: unknown) => e,
    );
    expect(isTeamKbError(error, 'EMBEDDER_UNAVAILABLE')).toBe(true);
    expect((error as Error).message).toMatch(/401.*TEAMKB_EMBEDDER_API_KEY/);
  });

  it('says when nothing listens at the base URL', async () => {
    const url = await deadUrl();
    const error = await createOpenAiEmbedder({ model: 'm', baseUrl: url, maxRetries: 0 }).catch((e: unknown) => e);
    expect(isTeamKbError(error, 'EMBEDDER_UNAVAILABLE')).toBe(true);
    expect((error as Error).message).toContain('connection refused');
    expect((error as Error).message).toContain(url);
  });

  it('reports an unknown model clearly', async () => {
    const error = await createOpenAiEmbedder({ model: 'nope', baseUrl: server.url, apiKey: 'sk-test' }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/404.*"nope"/);
  });
});
