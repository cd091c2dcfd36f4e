import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedFixture } from '../helpers/shared.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { call, readSse } from './helpers/http.js';

const MODEL = sharedFixture('models/stories260K.gguf', 'llama-cpp HTTP end-to-end tests');

const MAX_TOKENS = 48;
const storyRequest = <S extends boolean>(stream: S) => ({
  model: 'llm',
  stream,
  max_tokens: MAX_TOKENS,
  messages: [{ role: 'user' as const, content: 'Tell me a story about a little girl named Lily.' }],
});

describe.skipIf(!MODEL)('llama-cpp LLM through the HTTP API (stories260K)', () => {
  let app: TestApp;
  let openai: OpenAI;
  beforeAll(async () => {
    app = await startTestApp({ llm: `llama:${MODEL}`, threads: 1 });
    openai = new OpenAI({ baseURL: `${app.url}/v1`, apiKey: 'unused', maxRetries: 0 });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('loads the model and streams a generated answer', async () => {
    const health = await call(app.url, 'GET', '/healthz');
    expect(health.body).toEqual({ status: 'ready', reasons: [] });
    const ids = (await openai.models.list()).data.map((m) => m.id);
    expect(ids).toContain('llm:stories260K');

    const t0 = performance.now();
    const stream = await openai.chat.completions.create(storyRequest(true));
    const deltas: string[] = [];
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta.content) deltas.push(chunk.choices[0].delta.content);
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    console.info(`[e2e] stories260K: ${deltas.length} chunks in ${Math.round(performance.now() - t0)} ms`);
    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.length).toBeLessThanOrEqual(MAX_TOKENS);
    expect(deltas.join('')).toMatch(/[a-z]{3,}/i);
    expect(finish).toBe('stop');
  });

  it('frees the model when a client hangs up mid-stream, so the next request completes', async () => {
    const abort = new AbortController();
    const res = await fetch(`${app.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(storyRequest(true)),
      signal: abort.signal,
    });
    expect(res.status).toBe(200);
    let contentChunks = 0;
    try {
      for await (const event of readSse(res)) {
        if (event.data === '[DONE]') break;
        if (JSON.parse(event.data).choices?.[0]?.delta?.content) contentChunks++;
        if (contentChunks === 2) abort.abort();
      }
    } catch (err) {
      expect((err as Error).name).toBe('AbortError');
    }
    expect(contentChunks).toBe(2);

    const next = await openai.chat.completions.create(storyRequest(false));
    expect(next.choices[0]?.message.content?.length).toBeGreaterThan(10);
    const status = await call(app.url, 'GET', '/api/status');
    expect(status.body).toMatchObject({ running: 0, queued: 0 });
  });

  it('queues concurrent requests behind a running one and completes them all', async () => {
    // A long answer holds the model while the others arrive.
    const long = await openai.chat.completions.create({ ...storyRequest(true), max_tokens: 300 });
    const iterator = long[Symbol.asyncIterator]();
    await iterator.next();

    const webChat = async () => {
      const res = await fetch(`${app.url}/api/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ mode: 'llm', question: 'Tell me a story about a dog.', max_tokens: MAX_TOKENS }),
      });
      const parts = [];
      for await (const event of readSse(res)) parts.push(JSON.parse(event.data));
      return parts;
    };
    const [longText, ...others] = await Promise.all([
      (async () => {
        let text = '';
        for (let next = await iterator.next(); !next.done; next = await iterator.next())
          text += next.value.choices[0]?.delta.content ?? '';
        return text;
      })(),
      webChat(),
      webChat(),
      openai.chat.completions.create(storyRequest(false)),
      openai.chat.completions.create(storyRequest(false)),
    ]);
    expect(longText.length).toBeGreaterThan(10);
    for (const parts of others.slice(0, 2) as Array<Array<{ type: string; text?: string; queuePosition?: number }>>) {
      expect(
        parts.some((p) => p.type === 'status' && (p.queuePosition ?? 0) >= 1 && /position \d in line/.test(p.text ?? '')),
      ).toBe(true);
      expect(parts.at(-1)?.type).toBe('done');
      expect(parts.filter((p) => p.type === 'text').length).toBeGreaterThan(3);
    }
    for (const a of others.slice(2) as OpenAI.ChatCompletion[]) {
      expect(a.choices[0]?.finish_reason).toBe('stop');
      expect(a.choices[0]?.message.content?.length).toBeGreaterThan(10);
    }
  });
});
