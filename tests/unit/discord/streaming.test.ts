import { afterEach, describe, expect, it } from 'vitest';
import type { Citation } from '../../../core/answer.js';
import type { JobProgressView } from '../../../core/chat.js';
import { type DiscordHarness, makeDiscordHarness, until } from './harness.js';
import { gate, ScriptedRuntime } from './scripted-runtime.js';

const citation: Citation = {
  n: 1,
  file: 'guide.pdf',
  page: 3,
  snippet: 's',
  url: 'https://kb.example.com/guide.pdf#page=3',
  kb: 'handbook',
};

function progress(filesDone: number, summary?: string): JobProgressView {
  return { jobId: 'job-1', kb: 'handbook', filesDone, filesTotal: 5, chunks: filesDone * 10, failed: 0, summary };
}

describe('discord streaming and long replies', () => {
  let h: DiscordHarness | undefined;
  afterEach(async () => {
    await h?.adapter.stop();
    await h?.close();
    h = undefined;
  });

  async function start(adapter: Parameters<typeof makeDiscordHarness>[0] = {}) {
    const runtime = new ScriptedRuntime();
    h = await makeDiscordHarness(adapter);
    await h.adapter.start(runtime);
    return { h, runtime };
  }

  it('coalesces streamed text into one message, edited no faster than the interval', async () => {
    const { h, runtime } = await start({ adapter: { editIntervalMs: 60_000 } });
    const words = Array.from({ length: 120 }, (_, i) => `word${i}`);
    runtime.script = async (_e, reply) => {
      await reply.write({ type: 'status', text: 'Searching handbook…' });
      for (const w of words) await reply.write({ type: 'text', text: `${w} ` });
      await reply.write({ type: 'citation', citation });
      await reply.write({
        type: 'done',
        answer: {
          markdown: `${words.join(' ')} [1]`,
          citations: [citation],
          sources: ['handbook'],
          mode: 'kb',
          answerId: 'ans-5',
        },
      });
    };
    await h.sendUserMessage({ channel: h.textChannel('general'), content: 'stream please' });
    const answer = await until(() => h.fake.botMessages().find((m) => m.content.includes('word119')), 'final answer');
    // "Thinking…", the first streamed words, then the final render: the 60 s interval held every edit in between.
    expect(answer.updates).toBe(3);
    expect(answer.content).toContain('[1] [guide.pdf p.3](https://kb.example.com/guide.pdf#page=3)');
    expect(answer.content).toMatch(/-# Sources: handbook/);
    expect(h.visible()[0]?.buttons).toEqual(['ans-5:up', 'ans-5:down']);
  });

  it('splits a long answer into follow-ups under 2000 characters with the buttons on the last', async () => {
    const { h, runtime } = await start();
    const chinese = '密钥每月轮换一次，请先备份旧的配置文件。如果失败，请联系管理员！'.repeat(40);
    const code = `\`\`\`bash\n${'vpn-cli rotate --key main --force\n'.repeat(50)}\`\`\``;
    const body = `${chinese}\n\n${code}\n\n${'The English part explains the rest [1]. '.repeat(40)}`;
    runtime.script = async (_e, reply) => {
      for (let i = 0; i < body.length; i += 97) await reply.write({ type: 'text', text: body.slice(i, i + 97) });
      await reply.write({
        type: 'done',
        answer: { markdown: body, citations: [citation], sources: ['handbook'], mode: 'kb', answerId: 'ans-6' },
      });
    };
    const root = await h.sendUserMessage({ channel: h.textChannel('general'), content: 'long one' });
    await until(() => h.fake.botMessages().some((m) => m.content.includes('-# Sources')), 'last part');
    const parts = h.fake.botMessages().filter((m) => m.channelId === root);
    expect(parts.length).toBeGreaterThanOrEqual(3);
    for (const p of parts) {
      expect(p.content.length).toBeLessThanOrEqual(2000);
      expect((p.content.match(/^```/gm) ?? []).length % 2).toBe(0);
    }
    expect(parts[0]?.content).toMatch(/[。！]$/);
    expect(parts.filter((p) => p.components.length > 0)).toEqual([parts.at(-1)]);
    expect(parts.map((p) => p.content).join('\n')).toContain('[1] [guide.pdf p.3](https://kb.example.com/guide.pdf#page=3)');
    expect(h.fake.rest.calls.every((c) => c.status < 400)).toBe(true);
  });

  it('keeps a job’s progress in one message, updated in place, ending with the summary', async () => {
    const { h, runtime } = await start({ adapter: { editIntervalMs: 20 } });
    runtime.script = async (_e, reply) => {
      for (let i = 1; i <= 4; i++) {
        await reply.write({ type: 'progress', progress: progress(i) });
        await new Promise((r) => setTimeout(r, 30));
      }
      await reply.write({ type: 'progress', progress: progress(5, '**handbook**: 5 files added, 50 chunks.') });
    };
    await h.sendKb({ subcommand: 'reindex', options: [{ name: 'kb', type: 3, value: 'handbook' }] });
    await until(() => h.visible().find((m) => m.text.includes('5 files added')), 'summary');
    const shown = h.visible();
    expect(shown).toHaveLength(1);
    const message = h.fake.botMessages().at(-1);
    expect(message?.via).toBe('webhook');
    expect(message?.updates).toBeGreaterThan(2);
  });

  it('moves a long job to channel messages before the interaction token expires', async () => {
    let clock = 1_000_000;
    const { h, runtime } = await start({ adapter: { now: () => clock, editIntervalMs: 10 } });
    const held = gate();
    runtime.script = async (_e, reply) => {
      await reply.write({ type: 'progress', progress: progress(1) });
      await held.wait;
      await reply.write({ type: 'progress', progress: progress(5, 'All 5 files added.') });
      await reply.write({ type: 'message', markdown: 'Job finished.' });
    };
    const channel = h.textChannel('general');
    await h.sendKb({ subcommand: 'reindex', options: [{ name: 'kb', type: 3, value: 'handbook' }], channel });
    await until(() => h.visible().find((m) => m.text.includes('1/5 files')), 'first progress');
    clock += 14 * 60 * 1000 + 1;
    held.open();
    await until(() => h.visible().find((m) => m.text === 'Job finished.'), 'final message');
    const byText = (t: string) => h.fake.botMessages().find((m) => m.content.includes(t));
    expect(byText('Continued in a new message below')?.via).toBe('webhook');
    expect(byText('All 5 files added.')).toMatchObject({ via: 'channel', channelId: channel.id });
    expect(byText('Job finished.')).toMatchObject({ via: 'channel', channelId: channel.id });
  });

  it('shows a private result as an ephemeral follow-up instead of the public deferred reply', async () => {
    const { h, runtime } = await start();
    runtime.script = async (_e, reply) => {
      await reply.write({ type: 'message', markdown: 'Only you can see this.', ephemeral: true });
    };
    await h.sendKb({ subcommand: 'help' });
    const shown = await until(() => h.fake.botMessages().find((m) => m.content === 'Only you can see this.'), 'ephemeral');
    expect(shown.flags & 64).toBe(64);
    expect(h.fake.botMessages().filter((m) => m.via === 'webhook')).toHaveLength(1);
  });

  it('shows an error under what was already streamed, with its reference', async () => {
    const { h, runtime } = await start();
    runtime.script = async (_e, reply) => {
      await reply.write({ type: 'text', text: 'Partial answer so far' });
      await reply.write({ type: 'error', code: 'LLM_UNAVAILABLE', message: 'The model stopped responding.', ref: 'e-42' });
    };
    await h.sendUserMessage({ channel: h.textChannel('general'), content: 'break midway' });
    const shown = await until(() => h.visible().find((m) => m.text.includes('e-42')), 'error');
    expect(shown.text).toBe('Partial answer so far\n\n⚠️ The model stopped responding. (ref `e-42`)');
  });

  it('removes the “thinking…” reply of a command that produced nothing', async () => {
    const { h, runtime } = await start();
    runtime.script = async () => {};
    await h.sendKb({ subcommand: 'help' });
    await until(() => h.fake.rest.calls.find((c) => c.method === 'DELETE' && c.route.endsWith('/messages/@original')), 'delete');
    expect(h.visible()).toHaveLength(0);
  });
});
