import { describe, expect, it } from 'vitest';
import type { Reply } from '../../../core/chat.js';
import type { FakeMessage } from './fake-slack.js';
import { withAdapter } from './http-harness.js';
import { citation, ScriptedRuntime, streamAnswer } from './scripted-runtime.js';

const ANSWER = Array.from({ length: 30 }, (_, i) => `Step ${i} of the **answer** [1].`).join(' ');

/** Streams ANSWER word group by word group, with pauses so that several appends are due. */
async function slowAnswer(reply: Reply, answerId = 'ans-native'): Promise<void> {
  await reply.write({ type: 'status', text: 'Searching handbook…' });
  const parts = ANSWER.split(/(?<=\.) /);
  for (const [i, part] of parts.entries()) {
    await reply.write({ type: 'text', text: i === 0 ? part : ` ${part}` });
    await new Promise((r) => setTimeout(r, 15));
  }
  await reply.write({ type: 'citation', citation });
  await reply.write({
    type: 'done',
    answer: { markdown: ANSWER, citations: [citation], sources: ['handbook'], mode: 'kb', answerId },
  });
}

const buttonValues = (m: FakeMessage | undefined) =>
  (m?.blocks ?? [])
    .filter((b) => b.type === 'actions')
    .flatMap((b) => (b.elements as Array<{ value: string }>).map((e) => e.value));

describe('Slack native streaming (chat.startStream / appendStream / stopStream)', () => {
  it('streams a threaded answer natively and ends with citations, sources and feedback buttons', async () => {
    const runtime = new ScriptedRuntime(async (_e, reply) => slowAnswer(reply));
    await withAdapter({ streaming: 'native', updateIntervalMs: 100 }, runtime, async (h) => {
      await h.sendMention({ text: 'stream natively', channel: 'C1', user: 'U1' });
      const [start] = h.fake.callsOf('chat.startStream');
      expect(start?.args).toMatchObject({
        channel: 'C1',
        thread_ts: expect.any(String),
        recipient_user_id: 'U1',
        recipient_team_id: 'T1',
      });
      const appends = h.fake.callsOf('chat.appendStream');
      expect(appends.length).toBeGreaterThanOrEqual(2);
      expect(appends.length).toBeLessThan(ANSWER.split(/(?<=\.) /).length);
      expect(h.fake.callsOf('chat.stopStream')).toHaveLength(1);
      expect(h.fake.callsOf('chat.postMessage')).toHaveLength(0);
      expect(h.fake.callsOf('chat.update')).toHaveLength(0);

      const [message] = h.fake.allMessages();
      expect(h.fake.allMessages()).toHaveLength(1);
      expect(message?.markdown).toBe(ANSWER);
      expect(message?.streaming).toBe(false);
      expect(message?.thread).toBe(start?.args.thread_ts);
      const shown = h.fake.visible()[0]?.text ?? '';
      expect(shown).toContain('Step 29 of the **answer** [1].');
      expect(shown).toContain('[1] guide.pdf p.3');
      expect(shown).toContain('Sources: handbook');
      expect(buttonValues(message)).toEqual(['tkb:feedback:ans-native:up', 'tkb:feedback:ans-native:down']);
    });
  });

  it('auto mode falls back to chat.update after unknown_method, keeps the answer whole, and remembers', async () => {
    const runtime = new ScriptedRuntime(async (_e, reply) => streamAnswer(reply, 'The answer is **forty-two** [1].'));
    await withAdapter({ streaming: 'auto' }, runtime, async (h) => {
      h.fake.refuseStreaming = 'unknown_method';
      await h.sendMention({ text: 'first question', channel: 'C1', user: 'U1' });
      await h.sendMention({ text: 'second question', channel: 'C1', user: 'U1' });
      expect(h.fake.callsOf('chat.startStream')).toHaveLength(1);
      expect(h.fake.callsOf('chat.appendStream')).toHaveLength(0);
      expect(h.fake.callsOf('chat.postMessage')).toHaveLength(2);
      const answers = h.fake.allMessages();
      expect(answers).toHaveLength(2);
      for (const m of answers) {
        expect(h.fake.visible().find((v) => v.thread === m.thread)?.text).toBe(
          'The answer is *forty-two* [1].\n\n[1] guide.pdf p.3\nSources: handbook · knowledge base',
        );
        expect(buttonValues(m)).toEqual(['tkb:feedback:ans-7:up', 'tkb:feedback:ans-7:down']);
      }
    });
  });

  it('auto mode keeps native streaming after a refusal that concerns one channel only', async () => {
    const runtime = new ScriptedRuntime(async (_e, reply) => streamAnswer(reply, 'Still native [1].'));
    await withAdapter({ streaming: 'auto' }, runtime, async (h) => {
      h.fake.failNext('chat.startStream', { error: 'channel_not_found' });
      await h.sendMention({ text: 'odd channel', channel: 'C9', user: 'U1' });
      await h.sendMention({ text: 'normal channel', channel: 'C1', user: 'U1' });
      expect(h.fake.callsOf('chat.startStream')).toHaveLength(2);
      expect(h.fake.allMessages().map((m) => m.markdown)).toEqual([undefined, 'Still native [1].']);
    });
  });

  it('native mode falls back for the refused answer only and tries again on the next', async () => {
    const runtime = new ScriptedRuntime(async (_e, reply) => streamAnswer(reply, 'Native or not [1].'));
    await withAdapter({ streaming: 'native' }, runtime, async (h) => {
      h.fake.refuseStreaming = 'missing_scope';
      await h.sendMention({ text: 'refused', channel: 'C1', user: 'U1' });
      h.fake.refuseStreaming = undefined;
      await h.sendMention({ text: 'allowed', channel: 'C1', user: 'U1' });
      expect(h.fake.callsOf('chat.startStream')).toHaveLength(2);
      expect(h.fake.callsOf('chat.stopStream')).toHaveLength(1);
      // The fallback (blocks) and the native stream (markdown + blocks) read the same.
      expect(h.fake.visible().map((m) => m.text)).toEqual([
        'Native or not [1].\n\n[1] guide.pdf p.3\nSources: handbook · knowledge base',
        'Native or not [1].\n[1] guide.pdf p.3\nSources: handbook · knowledge base',
      ]);
      expect(h.fake.allMessages().map((m) => m.markdown)).toEqual([undefined, 'Native or not [1].']);
    });
  });

  it('answers DMs outside a thread with placeholder + chat.update, even in native mode', async () => {
    const runtime = new ScriptedRuntime(async (_e, reply) => streamAnswer(reply, 'Direct **answer** [1].'));
    await withAdapter({ streaming: 'native' }, runtime, async (h) => {
      await h.sendDm({ text: 'hello', user: 'U2' });
      expect(h.fake.callsOf('chat.startStream')).toHaveLength(0);
      expect(h.fake.callsOf('chat.postMessage')).toHaveLength(1);
      expect(h.fake.callsOf('chat.postMessage')[0]?.args.thread_ts).toBeUndefined();
      expect(h.fake.visible()[0]?.text).toContain('Direct *answer* [1].');
    });
  });

  it('waits out a 429 on chat.appendStream (Retry-After) and still delivers every word', async () => {
    const runtime = new ScriptedRuntime(async (_e, reply) => slowAnswer(reply, 'ans-429'));
    await withAdapter({ streaming: 'native', updateIntervalMs: 50 }, runtime, async (h) => {
      h.fake.failNext('chat.appendStream', { status: 429, retryAfter: 1 });
      await h.sendMention({ text: 'rate limited stream', channel: 'C1', user: 'U1' });
      const [first, second] = h.fake.callsOf('chat.appendStream');
      expect(second?.args.markdown_text).toBe(first?.args.markdown_text);
      expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(950);
      const [message] = h.fake.allMessages();
      expect(message?.markdown).toBe(ANSWER);
      expect(buttonValues(message)).toEqual(['tkb:feedback:ans-429:up', 'tkb:feedback:ans-429:down']);
    });
  });

  it('replaces a streamed answer too long for one message, and continues it in further messages', async () => {
    const long = Array.from({ length: 40 }, (_, i) => `Paragraph ${i}. ${'Detail. '.repeat(20)}`).join('\n\n');
    const runtime = new ScriptedRuntime(async (_e, reply) => streamAnswer(reply, long, { parts: 20, answerId: 'ans-long' }));
    await withAdapter({ streaming: 'native' }, runtime, async (h) => {
      await h.sendMention({ text: 'long one', channel: 'C1', user: 'U1' });
      expect(h.fake.callsOf('chat.stopStream')[0]?.args.blocks).toBeUndefined();
      expect(h.fake.callsOf('chat.update')).toHaveLength(1);
      const messages = h.fake.allMessages();
      expect(messages.length).toBeGreaterThanOrEqual(2);
      for (const m of messages) {
        expect(m.markdown).toBeUndefined();
        expect(m.text.length).toBeLessThanOrEqual(3500);
      }
      const all = messages.map((m) => m.text).join('\n');
      expect(all).toContain('Paragraph 0.');
      expect(all).toContain('Paragraph 39.');
      expect(buttonValues(messages.at(-1))).toEqual(['tkb:feedback:ans-long:up', 'tkb:feedback:ans-long:down']);
    });
  });

  it('when stopStream refuses the blocks, the streamed message is updated with the full answer', async () => {
    const runtime = new ScriptedRuntime(async (_e, reply) => streamAnswer(reply, 'Blocks **refused** [1].'));
    await withAdapter({ streaming: 'native' }, runtime, async (h) => {
      h.fake.failNext('chat.stopStream', { error: 'invalid_blocks' });
      await h.sendMention({ text: 'blocks refused', channel: 'C1', user: 'U1' });
      expect(h.fake.callsOf('chat.stopStream')).toHaveLength(2);
      const [message] = h.fake.allMessages();
      expect(h.fake.allMessages()).toHaveLength(1);
      expect(h.fake.visible()[0]?.text).toBe('Blocks *refused* [1].\n\n[1] guide.pdf p.3\nSources: handbook · knowledge base');
      expect(buttonValues(message)).toEqual(['tkb:feedback:ans-7:up', 'tkb:feedback:ans-7:down']);
    });
  });

  it('an error mid-stream ends the streamed message with the text so far and the warning', async () => {
    const runtime = new ScriptedRuntime(async (_e, reply) => {
      await reply.write({ type: 'text', text: 'Half an answer' });
      await reply.write({ type: 'error', code: 'INTERNAL', message: 'The model stopped.', ref: 'r42' });
    });
    await withAdapter({ streaming: 'native' }, runtime, async (h) => {
      await h.sendMention({ text: 'break please', channel: 'C1', user: 'U1' });
      expect(h.fake.callsOf('chat.stopStream')).toHaveLength(1);
      const [message] = h.fake.allMessages();
      expect(h.fake.allMessages()).toHaveLength(1);
      expect(message?.streaming).toBe(false);
      expect(message?.text).toBe('Half an answer\n\n⚠️ The model stopped. (ref `r42`)');
    });
  });
});
