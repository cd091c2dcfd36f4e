import { afterEach, describe, expect, it } from 'vitest';
import type { Citation } from '../../../core/answer.js';
import type { Reply } from '../../../core/chat.js';
import { mentionEvent } from './fake/events.js';
import { type FeishuHarness, makeFeishuHarness } from './fake/harness.js';
import { ScriptedRuntime } from './fake/scripted-runtime.js';

let h: FeishuHarness | undefined;
afterEach(async () => {
  await h?.adapter.stop();
  await h?.close();
  h = undefined;
});

const citation: Citation = { n: 1, file: 'vpn.pdf', page: 2, snippet: 'rotate monthly', kb: 'it' };

/** Streams `words` tokens, pausing every few like a model would (so throttled updates get a turn). */
async function streamAnswer(reply: Reply, words: number, pauseEvery = 5): Promise<void> {
  await reply.write({ type: 'status', text: 'Searching it…' });
  for (let i = 0; i < words; i++) {
    await reply.write({ type: 'text', text: `w${i} ` });
    if (i % pauseEvery === 0) await new Promise((r) => setTimeout(r, 15));
  }
  await reply.write({ type: 'citation', citation });
  const markdown = Array.from({ length: words }, (_, i) => `w${i}`).join(' ');
  await reply.write({ type: 'done', answer: { markdown, citations: [citation], sources: ['it'], mode: 'kb', answerId: 'a-1' } });
}

async function ask(overrides = {}, script = (reply: Reply) => streamAnswer(reply, 60), mode: 'http' | 'ws' = 'http') {
  h = await makeFeishuHarness(mode, overrides);
  const runtime = new ScriptedRuntime((_e, reply) => script(reply));
  await h.adapter.start(runtime);
  await h.deliver(mentionEvent('how do I rotate the vpn key?', 'oc_s'));
  await h.adapter.idle();
  return { h, runtime };
}

describe('Feishu streaming', () => {
  it('streams through a CardKit card with increasing sequence, then shows the final card', async () => {
    const { h } = await ask();
    const shown = h.visible();
    expect(shown).toHaveLength(1);
    expect(shown[0]?.text).toContain('w59');
    expect(shown[0]?.text).toContain('[1] vpn.pdf p.2');
    expect(shown[0]?.buttons).toEqual(['tkb:feedback:a-1:up', 'tkb:feedback:a-1:down']);
    expect(h.fake.sequenceErrors).toEqual([]);
    const updates = h.fake.callsTo(/PUT .*\/elements\/answer\/content$/);
    expect(updates.length).toBeGreaterThan(0);
    expect(updates.length).toBeLessThan(60); // coalesced, not one per token
    const settings = h.fake.callsTo(/PATCH .*\/settings$/);
    expect(JSON.parse(String(settings.at(-1)?.body.settings)).config.streaming_mode).toBe(false);
    const card = [...h.fake.cards.values()][0]?.card as { config: { streaming_mode?: boolean } };
    expect(card.config.streaming_mode).toBeFalsy();
  });

  it('streams by patching the message when configured for patch mode', async () => {
    const { h } = await ask({ streaming: 'patch' });
    expect(h.fake.callsTo(/cardkit/)).toEqual([]);
    expect(h.fake.callsTo(/^PATCH \/open-apis\/im\/v1\/messages\//).length).toBeGreaterThan(1);
    expect(h.visible()[0]?.text).toContain('[1] vpn.pdf p.2');
  });

  it('falls back to patching when CardKit is refused, and stops trying it', async () => {
    h = await makeFeishuHarness('http');
    h.fake.failNext(/^POST \/open-apis\/cardkit\/v1\/cards$/, 1, { status: 400, code: 99991672 });
    await h.adapter.start(new ScriptedRuntime((_e, reply) => streamAnswer(reply, 5)));
    await h.deliver(mentionEvent('first', 'oc_s'));
    await h.adapter.idle();
    await h.deliver(mentionEvent('second', 'oc_s'));
    await h.adapter.idle();
    expect(h.fake.callsTo(/^POST \/open-apis\/cardkit\/v1\/cards$/)).toHaveLength(1);
    expect(h.visible().filter((m) => m.text.includes('[1] vpn.pdf p.2'))).toHaveLength(2);
  });

  it('retries rate-limited calls (HTTP 429 and code 99991400) and still shows the whole answer', async () => {
    h = await makeFeishuHarness('http');
    h.fake.failNext(/\/reply$/, 1, { status: 400, code: 99991400 });
    h.fake.failNext(/^PUT \/open-apis\/cardkit\/v1\/cards\/[^/]+$/, 2, {
      status: 429,
      code: 99991400,
      headers: { 'retry-after': '0.02' },
    });
    h.fake.failNext(/\/elements\/answer\/content$/, 3, {
      status: 429,
      code: 99991400,
      headers: { 'x-ogw-ratelimit-reset': '0' },
    });
    await h.adapter.start(new ScriptedRuntime((_e, reply) => streamAnswer(reply, 30)));
    await h.deliver(mentionEvent('busy day', 'oc_s'));
    await h.adapter.idle();
    expect(h.fake.callsTo(/^PUT \/open-apis\/cardkit\/v1\/cards\/[^/]+$/)).toHaveLength(3);
    expect(h.visible()).toHaveLength(1);
    expect(h.visible()[0]?.text).toContain('w29');
    expect(h.visible()[0]?.buttons).toEqual(['tkb:feedback:a-1:up', 'tkb:feedback:a-1:down']);
  });

  it('posts the final answer as a new reply rather than lose it when updates stay refused', async () => {
    h = await makeFeishuHarness('http', { rateLimitBudgetMs: 100 });
    h.fake.failNext(/^PUT \/open-apis\/cardkit\/v1\/cards\/[^/]+$/, 100, {
      status: 429,
      code: 99991400,
      headers: { 'retry-after': '0.06' },
    });
    await h.adapter.start(new ScriptedRuntime((_e, reply) => streamAnswer(reply, 3)));
    await h.deliver(mentionEvent('q', 'oc_s'));
    await h.adapter.idle();
    expect(h.visible().some((m) => m.text.includes('[1] vpn.pdf p.2') && m.buttons.length === 2)).toBe(true);
  });

  it('shows an error after the partial text, with its ref', async () => {
    const { h } = await ask({}, async (reply) => {
      await reply.write({ type: 'text', text: 'Half an answer' });
      await reply.write({ type: 'error', code: 'LLM_UNAVAILABLE', message: 'The model stopped responding.', ref: 'err-42' });
    });
    expect(h.visible()).toHaveLength(1);
    expect(h.visible()[0]?.text).toBe('Half an answer\n\n⚠️ The model stopped responding. (ref `err-42`)');
  });

  it('updates one progress message in place and ends with the summary', async () => {
    const { h } = await ask({}, async (reply) => {
      for (let i = 1; i <= 8; i++) {
        await reply.write({
          type: 'progress',
          progress: { jobId: 'j', kb: 'it', filesDone: i, filesTotal: 8, chunks: i * 10, failed: 0 },
        });
      }
      const summary = '**Done**: 8 files, 80 chunks, 0 failed';
      await reply.write({
        type: 'progress',
        progress: { jobId: 'j', kb: 'it', filesDone: 8, filesTotal: 8, chunks: 80, failed: 0, summary },
      });
    });
    expect(h.visible().map((m) => m.text)).toEqual(['**Done**: 8 files, 80 chunks, 0 failed']);
  });

  it('splits a very long answer over several messages', async () => {
    const { h } = await ask({}, (reply) => streamAnswer(reply, 8_000, 1_000));
    const shown = h.visible().reverse();
    expect(shown.length).toBeGreaterThan(1);
    expect(shown[0]?.text).toContain('w0 w1');
    expect(shown.at(-1)?.text).toContain('w7999');
    expect(shown.at(-1)?.buttons).toEqual(['tkb:feedback:a-1:up', 'tkb:feedback:a-1:down']);
  });

  it('removes the placeholder when the runtime writes nothing', async () => {
    const { h } = await ask({}, async () => undefined);
    expect(h.visible()).toEqual([]);
    expect(h.fake.callsTo(/^DELETE \/open-apis\/im\/v1\/messages\//)).toHaveLength(1);
  });

  it('replies inside the topic thread when the question came from one', async () => {
    h = await makeFeishuHarness('http');
    await h.adapter.start(new ScriptedRuntime());
    await h.deliver(mentionEvent('in a topic', 'oc_t', 'ou_1', { threadId: 'omt_1', rootId: 'om_root' }));
    await h.adapter.idle();
    await h.deliver(mentionEvent('plain', 'oc_t'));
    await h.adapter.idle();
    const flags = h.fake.callsTo(/\/reply$/).map((c) => c.body.reply_in_thread);
    expect(flags).toEqual([true, false]);
  });
});
