import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileRef } from '../../helpers/memory-adapter.js';
import { ADMIN, makeBot, type TestBot } from './setup.js';

/** The adapter contract's scenarios, played against the real runtime with fake services. */
describe('runtime through the memory adapter', () => {
  let bot: TestBot;
  beforeEach(async () => {
    bot = await makeBot({ defaultKb: { fallback: 'handbook' } });
    await bot.kb.seed('handbook', 'public', { 'guide.pdf': 'The answer to everything is forty-two.' });
  });
  afterEach(() => bot.close());

  it('answers a mention in its thread with the streamed text, a citation and feedback buttons', async () => {
    const reply = await bot.chat.message('what is the answer?', { channel: 'C1', messageId: 'm-root' });
    const [answer] = reply.messages;
    expect(answer?.text).toContain('forty-two');
    expect(answer?.text).toContain('[1] guide.pdf p.3');
    expect(answer?.thread).toBe('m-root');
    expect(answer?.buttons).toHaveLength(2);
    expect(answer?.buttons[0]).toMatch(/:up$/);
    expect(bot.answers.last()).toMatchObject({ mode: 'kb', kbs: ['handbook'], question: 'what is the answer?' });
    expect(reply.ended).toBe(true);
  });

  it('answers a direct message', async () => {
    const reply = await bot.chat.message('hello from a DM', { channel: 'D1', workspace: 'dm', isDm: true });
    expect(reply.text()).toContain('forty-two');
  });

  it('answers from attached files', async () => {
    const bytes = Buffer.from('Quarterly report: revenue grew 12%.');
    const reply = await bot.chat.message('summarise this', { attachments: [fileRef('report.txt', bytes)] });
    expect(reply.text()).toContain('report.txt');
    expect(bot.answers.last().mode).toBe('file');
    const temp = bot.answers.last().kbs?.[0] ?? '';
    expect(bot.kb.listFiles(temp).map((f) => f.name)).toEqual(['report.txt']);
  });

  it('routes /kb commands and shows the result', async () => {
    const reply = await bot.chat.command('help');
    expect(reply.text()).toContain('/kb ask <kb> <question>');
  });

  it('shows confirm buttons for a deletion and acts on the click', async () => {
    const prompt = await bot.chat.command('delete handbook', ADMIN);
    const [message] = prompt.messages;
    expect(message?.text).toContain('handbook');
    expect(message?.buttons).toHaveLength(2);
    const done = await bot.chat.click('confirm', message?.buttons[0] ?? '', ADMIN);
    expect(done.text()).toContain('Deleted knowledge base **handbook**');
    expect(bot.kb.kbs.has('handbook')).toBe(false);
  });

  it('ignores a redelivered event: nothing shown, nothing stored, nothing asked', async () => {
    await bot.chat.message('only once please');
    const shown = bot.chat.visible().length;
    const asked = bot.answers.requests.length;
    const turns = bot.db.get('SELECT COUNT(*) AS n FROM runtime_turns');
    const again = await bot.chat.redeliverLast();
    expect(again.parts).toEqual([]);
    expect(bot.chat.visible()).toHaveLength(shown);
    expect(bot.answers.requests).toHaveLength(asked);
    expect(bot.db.get('SELECT COUNT(*) AS n FROM runtime_turns')).toEqual(turns);
  });

  it('shows failures in words with a reference id and still ends the reply', async () => {
    const reply = await bot.chat.message('please fail');
    expect(reply.text()).toMatch(/Something went wrong.*\(ref [0-9a-f]{8}\)/);
    expect(reply.ended).toBe(true);
  });

  it('never stays silent on an empty mention or a malformed command', async () => {
    expect((await bot.chat.message('  ')).text()).toContain('/kb help');
    expect((await bot.chat.command('serch vpn')).text()).toContain('Usage: `/kb search [kb] <query>`');
    expect((await bot.chat.message('/kb lst')).text()).toContain('Usage: `/kb list`');
  });

  it('lists commands and visible KB names for adapters', () => {
    expect(bot.runtime.commands().map((c) => c.name)).toContain('upload');
    expect(bot.runtime.kbNames({ platform: 'memory', workspace: 'W1', channel: 'C1' })).toEqual(['handbook']);
  });
});
