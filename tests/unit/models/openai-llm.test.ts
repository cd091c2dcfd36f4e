import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLlm } from '../../../adapters/models/create-llm.js';
import { createOpenAiLlm } from '../../../adapters/models/llm-openai.js';
import { isTeamKbError } from '../../../core/errors.js';
import type { Llm } from '../../../core/llm.js';
import { collect } from './helpers/collect.js';
import { startFakeOpenAi } from './helpers/fake-openai-server.js';
import { deadUrl } from './helpers/loopback.js';

type FakeServer = Awaited<ReturnType<typeof startFakeOpenAi>>;
let server: FakeServer;
beforeAll(async () => {
  server = await startFakeOpenAi({ apiKey: 'sk-llm', reply: 'one two three four five six seven eight', chunkDelayMs: 10 });
});
afterAll(async () => {
  await server.close();
});

const question = [{ role: 'user' as const, content: 'count' }];

describe('openai-compatible LLM', () => {
  it('streams text parts over SSE and ends with usage', async () => {
    const llm = (await createLlm(`openai:test-model@${server.url}/v1`, {
      modelsDir: '.',
      apiKey: 'sk-llm',
    })) as Llm;
    expect(llm.id).toBe('openai:test-model');
    const result = await collect(llm, { messages: question, maxTokens: 50, temperature: 0.2 });
    expect(result.texts).toEqual(['one ', 'two ', 'three ', 'four ', 'five ', 'six ', 'seven ', 'eight']);
    expect(result.done?.usage).toEqual({ promptTokens: 7, completionTokens: 8 });
    const body = JSON.parse(server.seen.at(-1)?.body ?? '{}') as Record<string, unknown>;
    expect(body).toMatchObject({ model: 'test-model', stream: true, max_tokens: 50, temperature: 0.2 });
  });

  it('stops reading and closes the connection when aborted', async () => {
    const llm = createOpenAiLlm({ model: 'test-model', baseUrl: server.url, apiKey: 'sk-llm' });
    const controller = new AbortController();
    const result = await collect(llm, { messages: question, signal: controller.signal }, { parts: 2, controller });
    expect(isTeamKbError(result.error, 'CANCELLED')).toBe(true);
    expect(result.texts).toHaveLength(2);
    await new Promise((r) => setTimeout(r, 50));
    expect(server.aborted()).toBeGreaterThan(0);
  });

  it('explains a rejected key (401) naming TEAMKB_LLM_API_KEY', async () => {
    const llm = createOpenAiLlm({ model: 'test-model', baseUrl: server.url });
    const result = await collect(llm, { messages: question });
    expect(isTeamKbError(result.error, 'LLM_UNAVAILABLE')).toBe(true);
    expect((result.error as Error).message).toMatch(/rejected the API key \(HTTP 401\); set TEAMKB_LLM_API_KEY/);
  });

  it('explains an unknown model (404)', async () => {
    const llm = createOpenAiLlm({ model: 'gpt-missing', baseUrl: server.url, apiKey: 'sk-llm' });
    const result = await collect(llm, { messages: question });
    expect((result.error as Error).message).toMatch(/404.*"gpt-missing"/);
  });

  it('explains a refused connection', async () => {
    const url = await deadUrl();
    const result = await collect(createOpenAiLlm({ model: 'm', baseUrl: url, maxRetries: 0 }), { messages: question });
    expect(isTeamKbError(result.error, 'LLM_UNAVAILABLE')).toBe(true);
    expect((result.error as Error).message).toContain(`${url}/v1/chat/completions: connection refused`);
  });
});
