import { describe, expect, it } from 'vitest';
import { ADMIN, makeBot } from './setup.js';

async function prompted() {
  const bot = await makeBot({ confirmTtlMinutes: 10 });
  await bot.kb.seed('handbook', 'public', { 'a.md': 'x' });
  await bot.chat.command('use handbook');
  const prompt = await bot.chat.command('delete handbook', ADMIN);
  const part = prompt.parts[0];
  if (part?.type !== 'buttons') throw new Error('expected a buttons part');
  const confirm = part.buttons.find((b) => b.action === 'confirm');
  const cancel = part.buttons.find((b) => b.action === 'cancel');
  return { bot, part, confirm: confirm?.value ?? '', cancel: cancel?.value ?? '' };
}

describe('delete confirmation', () => {
  it('asks with confirm and cancel buttons and deletes nothing yet', async () => {
    const { bot, part, confirm, cancel } = await prompted();
    expect(part.markdown).toContain('Delete knowledge base **handbook** and its 1 file?');
    expect(part.buttons.find((b) => b.action === 'confirm')?.style).toBe('danger');
    expect(confirm).toBe(cancel);
    expect(bot.kb.kbs.has('handbook')).toBe(true);
    await bot.close();
  });

  it('deletes on confirm, drops the bindings, and refuses a second click', async () => {
    const { bot, confirm } = await prompted();
    expect((await bot.chat.click('confirm', confirm, ADMIN)).text()).toContain('Deleted knowledge base **handbook**');
    expect(bot.kb.deleted).toEqual(['handbook']);
    expect(bot.runtime.services.bindings.boundKb({ platform: 'memory', workspace: 'W1', channel: 'C1' })).toBeUndefined();
    expect((await bot.chat.click('confirm', confirm, ADMIN)).text()).toContain('expired or was already used');
    await bot.close();
  });

  it('answers "Cancelled" on cancel and keeps the KB', async () => {
    const { bot, cancel, confirm } = await prompted();
    expect((await bot.chat.click('cancel', cancel, ADMIN)).text()).toContain('Cancelled');
    expect((await bot.chat.click('confirm', confirm, ADMIN)).text()).toContain('expired or was already used');
    expect(bot.kb.kbs.has('handbook')).toBe(true);
    await bot.close();
  });

  it('refuses a click by a non-admin and keeps the prompt usable', async () => {
    const { bot, confirm } = await prompted();
    expect((await bot.chat.click('confirm', confirm, { user: 'U-MEMBER' })).text()).toContain('Only knowledge-base admins');
    expect(bot.kb.kbs.has('handbook')).toBe(true);
    expect((await bot.chat.click('confirm', confirm, ADMIN)).text()).toContain('Deleted');
    await bot.close();
  });

  it('expires the prompt', async () => {
    const { bot, confirm } = await prompted();
    bot.advance(11 * 60_000);
    expect((await bot.chat.click('confirm', confirm, ADMIN)).text()).toContain('expired');
    expect(bot.kb.kbs.has('handbook')).toBe(true);
    await bot.runtime.purgeExpired();
    expect(bot.db.get('SELECT COUNT(*) AS n FROM runtime_confirmations')).toEqual({ n: 0 });
    await bot.close();
  });

  it('deletes at once with --yes', async () => {
    const bot = await makeBot();
    await bot.kb.seed('handbook', 'public');
    expect((await bot.chat.command('delete handbook --yes', ADMIN)).text()).toContain('Deleted knowledge base **handbook**');
    await bot.close();
  });
});
