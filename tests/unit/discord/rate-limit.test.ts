import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeRest } from './fake/fake-rest.js';
import { type DiscordHarness, makeDiscordHarness, until } from './harness.js';
import { ScriptedRuntime } from './scripted-runtime.js';

describe('discord rate limits', () => {
  let h: DiscordHarness;
  const runtime = new ScriptedRuntime();

  beforeAll(async () => {
    h = await makeDiscordHarness();
    runtime.script = async (event, reply) => {
      const text = event.kind === 'action' ? event.value : event.text;
      await reply.write({ type: 'text', text: `Answer to ${text}` });
      await reply.write({
        type: 'done',
        answer: { markdown: `Answer to ${text}`, citations: [], sources: ['handbook'], mode: 'kb' },
      });
    };
    await h.adapter.start(runtime);
  });
  afterAll(async () => {
    await h.adapter.stop();
    await h.close();
  });

  const statuses = (route: RegExp) => h.fake.rest.calls.filter((c) => route.test(c.route)).map((c) => `${c.method} ${c.status}`);

  it('waits out a 429 on posting a message and still delivers the answer', async () => {
    const channel = h.textChannel('busy');
    h.fake.rest.failNext('POST', /^\/channels\/\d+\/messages$/, FakeRest.rateLimited(0.25), 2);
    await h.sendUserMessage({ channel, content: 'first under load' });
    const answer = await until(() => h.visible().find((m) => m.text.startsWith('Answer to first under load')), 'answer');
    expect(answer.thread).toBeTruthy();
    expect(statuses(/^\/channels\/\d+\/messages$/).slice(0, 3)).toEqual(['POST 429', 'POST 429', 'POST 200']);
  });

  it('waits out a 429 on editing the deferred interaction reply', async () => {
    h.fake.rest.failNext('PATCH', /^\/webhooks\/\d+\/[^/]+\/messages\/@original$/, FakeRest.rateLimited(0.2));
    await h.sendKb({
      subcommand: 'ask',
      options: [
        { name: 'kb', type: 3, value: 'handbook' },
        { name: 'question', type: 3, value: 'rate limited?' },
      ],
    });
    await until(() => h.visible().find((m) => m.text.startsWith('Answer to ask handbook "rate limited?"')), 'answer');
    expect(statuses(/@original$/).slice(0, 2)).toEqual(['PATCH 429', 'PATCH 200']);
  });

  it('waits out a 429 on starting the thread', async () => {
    h.fake.rest.failNext('POST', /\/threads$/, FakeRest.rateLimited(0.2));
    const id = await h.sendUserMessage({ channel: h.textChannel('busy'), content: 'thread under load' });
    const answer = await until(() => h.visible().find((m) => m.text.startsWith('Answer to thread under load')), 'answer');
    expect(answer.thread).toBe(id);
    expect(statuses(/\/threads$/).slice(-2)).toEqual(['POST 429', 'POST 201']);
  });
});
