import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScriptedLlm } from '../../adapters/models/fake-llm.js';
import { createAnswerService } from '../../core/answering/answer-service.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { ONBOARDING, VPN_GUIDE } from './helpers/corpus.js';
import { call, createKbWithFiles, readSse } from './helpers/http.js';

const REQUESTS = 32;
const ANSWER = 'Rotate the VPN key every 90 days [1].';
const LONG_ANSWER = `${'This answer takes a while to write. '.repeat(40)}[1]`;

describe('many simultaneous chat completions against one slow model', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({
      answers: (core) =>
        createAnswerService({
          kb: core.kb,
          llms: [
            { name: 'slow', llm: createScriptedLlm(() => ANSWER, { delayMsPerToken: 5 }) },
            { name: 'long', llm: createScriptedLlm(() => LONG_ANSWER, { delayMsPerToken: 20 }) },
          ],
          prompts: core.config.prompts,
        }),
    });
    await createKbWithFiles(app.url, 'handbook', [
      { name: 'vpn.md', bytes: VPN_GUIDE },
      { name: 'onboarding.txt', bytes: ONBOARDING },
    ]);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('queues every request and completes all of them without an error', async () => {
    const openai = new OpenAI({ baseURL: `${app.url}/v1`, apiKey: 'unused', maxRetries: 0, timeout: 60_000 });
    const ask = async (i: number): Promise<string> => {
      const messages = [{ role: 'user' as const, content: `How often do I rotate the VPN key? (#${i})` }];
      if (i % 2 === 0) {
        const completion = await openai.chat.completions.create({ model: 'kb:handbook', messages });
        return completion.choices[0]?.message.content ?? '';
      }
      let text = '';
      const stream = await openai.chat.completions.create({ model: 'kb:handbook', messages, stream: true });
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      return text;
    };
    const results = await Promise.allSettled(Array.from({ length: REQUESTS }, (_, i) => ask(i)));
    const failures = results.filter((r) => r.status === 'rejected');
    expect(failures).toEqual([]);
    for (const r of results) expect(r).toEqual({ status: 'fulfilled', value: ANSWER });

    const status = await call(app.url, 'GET', '/api/status');
    expect(status.body).toMatchObject({ running: 0, queued: 0 });
  });

  it('frees the model when a client hangs up mid-answer, on both streaming APIs', async () => {
    const requests = [
      {
        path: '/v1/chat/completions',
        body: { model: 'llm:long', stream: true, messages: [{ role: 'user', content: 'Write a lot.' }] },
      },
      { path: '/api/chat', body: { mode: 'llm', model: 'long', question: 'Write a lot.' } },
    ];
    for (const { path, body } of requests) {
      const abort = new AbortController();
      const res = await fetch(`${app.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: abort.signal,
      });
      let texts = 0;
      await expect(
        (async () => {
          for await (const event of readSse(res)) {
            if (/"content":"\w|"type":"text"/.test(event.data)) texts++;
            if (texts === 3) abort.abort();
          }
        })(),
      ).rejects.toMatchObject({ name: 'AbortError' });
      await expect.poll(async () => (await call(app.url, 'GET', '/api/status')).body).toMatchObject({ running: 0, queued: 0 });
      const next = await call(app.url, 'POST', '/v1/chat/completions', {
        model: 'llm:slow',
        messages: [{ role: 'user', content: 'And now?' }],
      });
      expect(next.body.choices[0].message.content).toBe(ANSWER);
    }
  });
});
