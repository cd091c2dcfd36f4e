import { describe, expect, it } from 'vitest';
import { TeamKbError } from '../../../core/errors.js';
import { fileRef } from '../../helpers/memory-adapter.js';
import { makeBot } from './setup.js';

const report = () => fileRef('report.txt', Buffer.from('Quarterly report: revenue grew 12%.'));
const tempKbs = (bot: Awaited<ReturnType<typeof makeBot>>) => [...bot.kb.kbs.keys()].filter((n) => n.startsWith('tmp-'));

describe('file chat', () => {
  it('reads attachments into a temporary KB with progress, then answers from it in file mode', async () => {
    const bot = await makeBot();
    const reply = await bot.chat.message('summarise section 3', { attachments: [report()] });
    const kinds = reply.parts.map((p) => p.type);
    expect(kinds[0]).toBe('progress');
    expect(kinds.at(-1)).toBe('done');
    const [temp] = tempKbs(bot);
    expect(temp).toMatch(/^tmp-[0-9a-f]{12}$/);
    expect(bot.kb.kbs.get(temp ?? '')?.visibility).toBe('restricted');
    expect(bot.answers.last()).toMatchObject({ mode: 'file', kbs: [temp], question: 'summarise section 3' });
    expect(reply.text()).toContain('Read report.txt');
    await bot.close();
  });

  it('asks for a summary when the files come without a question', async () => {
    const bot = await makeBot();
    await bot.chat.message('', { attachments: [report()] });
    expect(bot.answers.last().question).toBe('Summarise the attached files.');
    await bot.close();
  });

  it('answers follow-ups in the thread from the same files until they expire', async () => {
    const bot = await makeBot({ fileChatTtlMinutes: 60, defaultKb: { fallback: 'handbook' } });
    await bot.kb.seed('handbook', 'public', { 'guide.pdf': 'x' });
    await bot.chat.message('summarise', { messageId: 'root', attachments: [report()] });
    const [temp] = tempKbs(bot);
    await bot.chat.message('and the revenue?', { thread: 'root' });
    expect(bot.answers.last()).toMatchObject({ mode: 'file', kbs: [temp] });
    expect(bot.answers.last().history?.map((m) => m.role)).toEqual(['user', 'assistant']);

    await bot.chat.message('elsewhere?', { thread: 'other-thread' });
    expect(bot.answers.last()).toMatchObject({ mode: 'kb', kbs: ['handbook'] });

    bot.advance(61 * 60_000);
    await bot.chat.message('still there?', { thread: 'root' });
    expect(bot.answers.last()).toMatchObject({ mode: 'kb', kbs: ['handbook'] });
    await bot.runtime.purgeExpired();
    expect(tempKbs(bot)).toEqual([]);
    expect(bot.kb.deleted).toEqual([temp]);
    await bot.close();
  });

  it('keeps files shared later in the same thread in the same KB and extends its life', async () => {
    const bot = await makeBot({ fileChatTtlMinutes: 60 });
    await bot.chat.message('read this', { messageId: 'root', attachments: [report()] });
    bot.advance(50 * 60_000);
    await bot.chat.message('and this', { thread: 'root', attachments: [fileRef('notes.md', Buffer.from('more notes'))] });
    const [temp] = tempKbs(bot);
    expect(tempKbs(bot)).toHaveLength(1);
    expect(bot.kb.listFiles(temp ?? '').map((f) => f.name)).toEqual(['report.txt', 'notes.md']);
    bot.advance(50 * 60_000);
    await bot.runtime.purgeExpired();
    expect(tempKbs(bot)).toEqual([temp]);
    await bot.close();
  });

  it('keeps at most maxTempKbs, purging the oldest', async () => {
    const bot = await makeBot({ maxTempKbs: 2 });
    for (const thread of ['t1', 't2', 't3']) {
      await bot.chat.message('read', { messageId: thread, attachments: [report()] });
      bot.advance(1000);
    }
    expect(tempKbs(bot)).toHaveLength(2);
    expect(bot.kb.deleted).toHaveLength(1);
    await bot.chat.message('again?', { thread: 't1' });
    expect(bot.answers.last().mode).toBe('llm');
    await bot.chat.message('again?', { thread: 't3' });
    expect(bot.answers.last().mode).toBe('file');
    await bot.close();
  });

  it('reports a file that failed to download and answers from the others', async () => {
    const bot = await makeBot();
    const tooBig = fileRef('huge.pdf', new TeamKbError('FILE_TOO_LARGE', 'huge.pdf is larger than 100 MB'));
    const reply = await bot.chat.message('what changed?', { attachments: [tooBig, report()] });
    expect(reply.text()).toMatch(/huge\.pdf — could not be downloaded: huge\.pdf is larger than 100 MB \(FILE_TOO_LARGE\)/);
    expect(reply.text()).toContain('Read report.txt');
    await bot.close();
  });

  it('says so, and does not ask, when no file could be read', async () => {
    const bot = await makeBot();
    const reply = await bot.chat.message('what is in it?', { attachments: [fileRef('bad.pdf', Buffer.from('CORRUPT'))] });
    expect(reply.text()).toMatch(/None of the files could be read[\s\S]*bad\.pdf — bad\.pdf is damaged/);
    expect(bot.answers.requests).toHaveLength(0);
    expect(reply.ended).toBe(true);
    await bot.close();
  });

  it('forgets the shared files on /kb reset', async () => {
    const bot = await makeBot();
    await bot.chat.message('read', { messageId: 'root', attachments: [report()] });
    const reply = await bot.chat.command('reset', { thread: 'root' });
    expect(reply.text()).toContain('and the files shared here in this thread');
    expect(tempKbs(bot)).toEqual([]);
    await bot.close();
  });

  it('keeps a temp KB whose deletion fails and retries at the next purge', async () => {
    const bot = await makeBot({ fileChatTtlMinutes: 1 });
    await bot.chat.message('read', { attachments: [report()] });
    const original = bot.kb.deleteKb.bind(bot.kb);
    bot.kb.deleteKb = async () => {
      throw new Error('store offline');
    };
    bot.advance(2 * 60_000);
    await bot.runtime.purgeExpired();
    expect(tempKbs(bot)).toHaveLength(1);
    bot.kb.deleteKb = original;
    await bot.runtime.purgeExpired();
    expect(tempKbs(bot)).toEqual([]);
    await bot.close();
  });
});
