import { describe, expect, it } from 'vitest';
import { makeBot } from './setup.js';

describe('which KB answers a plain message', () => {
  it('binds a channel with /kb use and unbinds with /kb unuse', async () => {
    const bot = await makeBot();
    await bot.kb.seed('handbook', 'public');
    await bot.chat.message('before?');
    expect(bot.answers.last().mode).toBe('llm');

    const bound = await bot.chat.command('use handbook');
    expect(bound.text()).toContain('Questions here are now answered from **handbook**');
    await bot.chat.message('during?');
    expect(bot.answers.last()).toMatchObject({ mode: 'kb', kbs: ['handbook'] });
    await bot.chat.message('other channel?', { channel: 'C2' });
    expect(bot.answers.last().mode).toBe('llm');
    expect((await bot.chat.command('list')).text()).toContain('_used here_');

    expect((await bot.chat.command('unuse')).text()).toContain('no longer answered from **handbook**');
    await bot.chat.message('after?');
    expect(bot.answers.last().mode).toBe('llm');
    expect((await bot.chat.command('unuse')).text()).toContain('No knowledge base is bound here');
    await bot.close();
  });

  it('prefers the explicit KB, then the binding, then the user default, then the workspace default', async () => {
    const bot = await makeBot({
      defaultKb: { users: { 'memory:U-PICKY': 'personal' }, workspaces: { W1: 'team' }, fallback: 'global' },
    });
    for (const name of ['handbook', 'personal', 'team', 'global', 'bound']) await bot.kb.seed(name, 'public');
    await bot.chat.message('q?', { workspace: 'W9' });
    expect(bot.answers.last().kbs).toEqual(['global']);
    await bot.chat.message('q?');
    expect(bot.answers.last().kbs).toEqual(['team']);
    await bot.chat.message('q?', { user: 'U-PICKY' });
    expect(bot.answers.last().kbs).toEqual(['personal']);
    await bot.chat.command('use bound');
    await bot.chat.message('q?', { user: 'U-PICKY' });
    expect(bot.answers.last().kbs).toEqual(['bound']);
    await bot.chat.command('ask handbook q?', { user: 'U-PICKY' });
    expect(bot.answers.last().kbs).toEqual(['handbook']);
    await bot.close();
  });

  it('answers with the model alone and a one-line hint when no KB applies', async () => {
    const bot = await makeBot();
    const reply = await bot.chat.message('hello?');
    expect(bot.answers.last()).toMatchObject({ mode: 'llm', question: 'hello?' });
    expect(bot.answers.last().kbs).toBeUndefined();
    const done = reply.parts.at(-1);
    expect(done?.type === 'done' && done.answer.markdown).toMatch(/forty-two[\s\S]*`\/kb use <kb>`/);
    await bot.close();
  });

  it('ignores a binding whose KB was deleted elsewhere', async () => {
    const bot = await makeBot();
    await bot.kb.seed('handbook', 'public');
    await bot.chat.command('use handbook');
    await bot.kb.deleteKb('handbook');
    await bot.chat.message('q?');
    expect(bot.answers.last().mode).toBe('llm');
    await bot.close();
  });

  it('explains an unknown KB and refuses temporary ones by name', async () => {
    const bot = await makeBot();
    await bot.kb.seed('handbook', 'public');
    expect((await bot.chat.command('use handbok')).text()).toContain('Did you mean "handbook"?');
    expect((await bot.chat.command('use zzz')).text()).toContain('No knowledge base named "zzz".');
    await bot.kb.seed('tmp-abc', 'restricted');
    expect((await bot.chat.command('use tmp-abc')).text()).toContain('cannot be used by name');
    expect(bot.runtime.kbNames({ platform: 'memory', workspace: 'W1', channel: 'C1' })).toEqual(['handbook']);
    await bot.close();
  });
});
