import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeMessage } from './fake-slack.js';
import { SlackHttpHarness, withAdapter } from './http-harness.js';
import { citation, ScriptedRuntime, streamAnswer } from './scripted-runtime.js';

const fences = (s: string) => s.split('\n').filter((l) => l.startsWith('```')).length;
const blockTexts = (m: FakeMessage) => (m.blocks ?? []).map((b) => (b.text as { text?: string } | undefined)?.text ?? '');
const buttonsOf = (m: FakeMessage) =>
  (m.blocks ?? [])
    .filter((b) => b.type === 'actions')
    .flatMap((b) => (b.elements as Array<{ action_id: string; value: string }>).map((e) => e));

describe('Slack replies: streaming, splitting, rate limits', () => {
  it('streams into one placeholder: one post, updates coalesced, one final update', async () => {
    const runtime = new ScriptedRuntime(async (_e, reply) => streamAnswer(reply, 'word '.repeat(200), { parts: 60 }));
    // With a long interval nothing but the final content may follow the placeholder.
    await withAdapter({ updateIntervalMs: 60_000 }, runtime, async (h) => {
      await h.sendMention({ text: 'stream please', channel: 'C1', user: 'U1' });
      expect(h.fake.callsOf('chat.postMessage')).toHaveLength(1);
      expect(h.fake.callsOf('chat.postMessage')[0]?.args).toMatchObject({ thread_ts: expect.any(String) });
      expect(h.fake.callsOf('chat.update')).toHaveLength(1);
      const [answer] = h.fake.allMessages();
      expect(blockTexts(answer as FakeMessage).join('\n')).toContain('[1] guide.pdf p.3');
    });
  });

  it('updates at most once per interval while text arrives', async () => {
    const interval = 100;
    const runtime = new ScriptedRuntime(async (_e, reply) => {
      await reply.write({ type: 'status', text: 'Thinking…' });
      for (let i = 0; i < 40; i += 1) {
        await reply.write({ type: 'text', text: `w${i} ` });
        await new Promise((r) => setTimeout(r, 15));
      }
      await reply.write({ type: 'done', answer: { markdown: 'final', citations: [], sources: ['handbook'], mode: 'kb' } });
    });
    await withAdapter({ updateIntervalMs: interval }, runtime, async (h) => {
      const started = Date.now();
      await h.sendMention({ text: 'slow stream', channel: 'C1', user: 'U1' });
      const elapsed = Date.now() - started;
      const updates = h.fake.callsOf('chat.update');
      expect(updates.length).toBeGreaterThanOrEqual(2);
      // Interim updates are spaced by the interval; the final one is sent at once.
      expect(updates.length).toBeLessThanOrEqual(Math.ceil(elapsed / interval) + 1);
      expect(h.fake.allMessages()).toHaveLength(1);
    });
  });

  it('splits a long answer into several messages without breaking code blocks; the footer closes the last', async () => {
    const code = `\`\`\`\n${Array.from({ length: 150 }, (_, i) => `const line${i} = ${i};`).join('\n')}\n\`\`\``;
    const prose = Array.from(
      { length: 12 },
      (_, i) => `Paragraph ${i} explains part ${i} of the answer [1]. ${'More detail. '.repeat(30)}`,
    ).join('\n\n');
    const markdown = `${prose}\n\n${code}\n\n${prose}`;
    const runtime = new ScriptedRuntime(async (_e, reply) => streamAnswer(reply, markdown, { parts: 20, answerId: 'ans-long' }));
    await withAdapter({}, runtime, async (h) => {
      await h.sendMention({ text: 'long one', channel: 'C1', user: 'U1' });
      const messages = h.fake.allMessages();
      expect(messages.length).toBeGreaterThanOrEqual(4);
      const thread = messages[0]?.thread;
      for (const m of messages) {
        expect(m.thread).toBe(thread);
        expect(m.text.length).toBeLessThanOrEqual(3500);
        for (const text of blockTexts(m)) expect(text.length).toBeLessThanOrEqual(3000);
        expect(fences(m.text) % 2).toBe(0);
      }
      expect(messages.slice(0, -1).every((m) => buttonsOf(m).length === 0)).toBe(true);
      expect(buttonsOf(messages.at(-1) as FakeMessage).map((b) => b.value)).toEqual([
        'tkb:feedback:ans-long:up',
        'tkb:feedback:ans-long:down',
      ]);
      const all = messages.map((m) => m.text).join('\n');
      expect(all).toContain('const line0 = 0;');
      expect(all).toContain('const line149 = 149;');
    });
  });

  it('when Slack refuses the blocks, the answer still arrives as plain text with its citations', async () => {
    const runtime = new ScriptedRuntime(async (_e, reply) => streamAnswer(reply, 'Plain **fallback** [1].'));
    await withAdapter({ updateIntervalMs: 60_000 }, runtime, async (h) => {
      h.fake.failNext('chat.update', { error: 'invalid_blocks' });
      await h.sendMention({ text: 'blocks refused', channel: 'C1', user: 'U1' });
      const [message] = h.fake.allMessages();
      expect(message?.blocks).toEqual([]);
      expect(message?.text).toBe('Plain *fallback* [1].\n\n[1] guide.pdf p.3\nSources: handbook · knowledge base');
    });
  });

  it('when the placeholder was deleted meanwhile, the final answer is posted anew', async () => {
    const runtime = new ScriptedRuntime(async (_e, reply) => streamAnswer(reply, 'Still here.'));
    await withAdapter({ updateIntervalMs: 60_000 }, runtime, async (h) => {
      h.fake.failNext('chat.update', { error: 'message_not_found' });
      await h.sendMention({ text: 'deleted placeholder', channel: 'C1', user: 'U1' });
      expect(h.fake.callsOf('chat.postMessage')).toHaveLength(2);
      expect(h.fake.visible().at(-1)?.text).toContain('Still here.');
    });
  });

  it('waits out a 429 on chat.update and on chat.postMessage (Retry-After) and still delivers the answer', async () => {
    const runtime = new ScriptedRuntime(async (_e, reply) => streamAnswer(reply, 'The answer is **forty-two** [1].'));
    await withAdapter({ updateIntervalMs: 60_000 }, runtime, async (h) => {
      h.fake.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
      h.fake.failNext('chat.update', { status: 429, retryAfter: 1 });
      await h.sendMention({ text: 'rate limited', channel: 'C1', user: 'U1' });
      const posts = h.fake.callsOf('chat.postMessage');
      const updates = h.fake.callsOf('chat.update');
      expect(posts).toHaveLength(2);
      expect(updates).toHaveLength(2);
      expect((posts[1]?.at ?? 0) - (posts[0]?.at ?? 0)).toBeGreaterThanOrEqual(950);
      expect((updates[1]?.at ?? 0) - (updates[0]?.at ?? 0)).toBeGreaterThanOrEqual(950);
      expect(h.fake.visible()[0]?.text).toContain('*forty-two*');
    });
  });
});

describe('Slack replies: commands, buttons, progress, errors', () => {
  let h: SlackHttpHarness;
  const runtime = new ScriptedRuntime();
  beforeAll(async () => {
    h = await SlackHttpHarness.create();
    await h.adapter.start(runtime);
  });
  afterAll(async () => {
    await h.adapter.stop();
    await h.close();
  });

  it('an ephemeral command result goes to response_url as ephemeral, a public one to the channel', async () => {
    runtime.use(async (e, reply) =>
      reply.write({ type: 'message', markdown: `result of **${e.kind === 'command' ? e.text : ''}**`, ephemeral: true }),
    );
    await h.sendCommand({ text: 'files handbook' });
    expect(h.fake.responseUrlPosts.at(-1)?.body).toMatchObject({
      response_type: 'ephemeral',
      text: 'result of *files handbook*',
    });

    runtime.use(async (_e, reply) => reply.write({ type: 'message', markdown: 'public result' }));
    const posts = h.fake.callsOf('chat.postMessage').length;
    await h.sendCommand({ text: 'list' });
    expect(h.fake.callsOf('chat.postMessage')).toHaveLength(posts + 1);
    expect(h.fake.callsOf('chat.postMessage').at(-1)?.args).toMatchObject({ channel: 'C1', text: 'public result' });
  });

  it('falls back to response_url when the bot is not in the channel', async () => {
    runtime.use(async (_e, reply) => streamAnswer(reply, 'searched answer'));
    h.fake.failNext('chat.postMessage', { error: 'not_in_channel' });
    await h.sendCommand({ text: 'ask handbook what?', channel: 'C-private' });
    const posts = h.fake.responseUrlPosts.filter((p) => p.body.response_type === 'in_channel');
    expect(posts.length).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(posts.at(-1)?.body)).toContain('searched answer');
  });

  it('a prompt from a slash command is ephemeral; the confirm click replaces it', async () => {
    runtime.use(async (e, reply) => {
      if (e.kind === 'action') return reply.write({ type: 'message', markdown: `Deleted (${e.value})` });
      await reply.write({
        type: 'buttons',
        markdown: 'Delete **handbook**?',
        buttons: [
          { label: 'Delete', action: 'confirm', value: 'del:hb', style: 'danger' },
          { label: 'Cancel', action: 'cancel', value: 'del:hb' },
        ],
      });
    });
    await h.sendCommand({ text: 'delete handbook' });
    const prompt = h.fake.findButton('del:hb');
    expect(prompt?.message.ephemeral).toBe(true);
    expect(buttonsOf(prompt?.message as FakeMessage).map((b) => b.action_id)).toEqual(['teamkb_confirm', 'teamkb_cancel']);
    await h.clickButton({ value: 'del:hb', action: 'confirm' });
    expect(runtime.events.at(-1)).toMatchObject({ kind: 'action', action: 'confirm', value: 'del:hb' });
    expect(h.fake.message(prompt?.message.key ?? '')?.text).toBe('Deleted (del:hb)');
  });

  it('a feedback click reaches the runtime; its acknowledgement is ephemeral and keeps the answer', async () => {
    runtime.use(async (e, reply) => {
      if (e.kind === 'action') return reply.write({ type: 'message', markdown: 'Thanks for the feedback.' });
      await streamAnswer(reply, 'An answer.', { answerId: 'ans-fb' });
    });
    await h.sendMention({ text: 'rate me', channel: 'C1', user: 'U1' });
    const answer = h.fake.findButton('ans-fb:down');
    await h.clickButton({ value: 'ans-fb:down', action: 'feedback' });
    expect(runtime.events.at(-1)).toMatchObject({ kind: 'action', action: 'feedback', value: 'ans-fb:down' });
    expect(h.fake.responseUrlPosts.at(-1)?.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(h.fake.message(answer?.message.key ?? '')?.text).toContain('An answer.');
  });

  it('updates one progress message in place and ends with the summary', async () => {
    runtime.use(async (_e, reply) => {
      const base = { jobId: 'job-1', kb: 'handbook', filesTotal: 5, chunks: 0, failed: 0 };
      for (let i = 0; i <= 5; i += 1)
        await reply.write({ type: 'progress', progress: { ...base, filesDone: i, chunks: i * 10, currentFile: `f${i}.pdf` } });
      await reply.write({
        type: 'progress',
        progress: { ...base, filesDone: 5, chunks: 50, summary: '**5 files**, 50 chunks, 0 failed' },
      });
    });
    const before = h.fake.allMessages().length;
    await h.sendWithFile({ text: 'upload handbook', fileName: 'notes.txt', bytes: Buffer.from('notes'), channel: 'C1' });
    expect(runtime.events.at(-1)).toMatchObject({ kind: 'command', text: 'upload handbook' });
    const added = h.fake.allMessages().slice(before);
    expect(added).toHaveLength(1);
    expect(added[0]?.text).toBe('*5 files*, 50 chunks, 0 failed');
  });

  it('shows an error in words with its ref, keeping the text streamed so far', async () => {
    runtime.use(async (_e, reply) => {
      await reply.write({ type: 'text', text: 'Partial answer' });
      await reply.write({ type: 'citation', citation });
      await reply.write({
        type: 'error',
        code: 'LLM_UNAVAILABLE',
        message: 'The language model stopped responding.',
        ref: 'r-9',
      });
    });
    await h.sendMention({ text: 'break', channel: 'C1', user: 'U1' });
    const last = h.fake.allMessages().at(-1);
    expect(last?.text).toBe('Partial answer\n\n⚠️ The language model stopped responding. (ref `r-9`)');
  });

  it('a runtime that throws still leaves the user an error message', async () => {
    runtime.use(async () => {
      throw new Error('boom');
    });
    await h.sendMention({ text: 'explode', channel: 'C1', user: 'U1' });
    await new Promise((r) => setTimeout(r, 50));
    expect(h.fake.allMessages().at(-1)?.text).toMatch(/Something went wrong while handling that\. \(ref `[0-9a-f]{8}`\)/);
  });
});
