import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileRef } from '../../helpers/memory-adapter.js';
import { makeBot, type TestBot } from './setup.js';

const DENIED = /Only knowledge-base admins can/;

describe('permission matrix', () => {
  let bot: TestBot;
  beforeEach(async () => {
    bot = await makeBot({ adminRoles: { memory: ['kb-admins'] }, admins: { memory: ['U-ADMIN'], '*': ['U-EVERYWHERE'] } });
    await bot.kb.seed('handbook', 'public', { 'guide.pdf': 'vpn keys rotate monthly', 'old.md': 'legacy notes' });
  });
  afterEach(() => bot.close());

  const who = {
    'admin by user id': { user: 'U-ADMIN' },
    'admin by role': { user: 'U-ROLE', roles: ['kb-admins'] },
    'admin on every platform': { user: 'U-EVERYWHERE' },
    member: { user: 'U-MEMBER', roles: ['staff'] },
  };
  const adminCommands: [string, (b: TestBot) => Promise<string>, RegExp][] = [
    [
      'create',
      async (b) => (await b.chat.command('create newkb "New docs"', ctx)).text(),
      /Created knowledge base \*\*newkb\*\*/,
    ],
    [
      'upload',
      async (b) =>
        (await b.chat.command('upload handbook', { ...ctx, attachments: [fileRef('a.md', Buffer.from('alpha'))] })).text(),
      /Upload to handbook finished/,
    ],
    ['remove', async (b) => (await b.chat.command('remove handbook old.md', ctx)).text(), /Removed \*\*old.md\*\*/],
    ['reindex', async (b) => (await b.chat.command('reindex handbook', ctx)).text(), /Reindex of handbook finished/],
    ['delete --yes', async (b) => (await b.chat.command('delete handbook --yes', ctx)).text(), /Deleted knowledge base/],
    ['delete (prompt)', async (b) => (await b.chat.command('delete handbook', ctx)).text(), /cannot be undone/],
  ];
  let ctx: { user: string; roles?: string[] } = who.member;

  for (const [label, person] of Object.entries(who)) {
    const isAdmin = label !== 'member';
    for (const [command, run, ok] of adminCommands) {
      it(`${label} ${isAdmin ? 'may' : 'may not'} ${command}`, async () => {
        ctx = person;
        const text = await run(bot);
        if (isAdmin) expect(text).toMatch(ok);
        else expect(text).toMatch(DENIED);
      });
    }
    it(`${label} may ask, search, list and see files of a public KB`, async () => {
      expect((await bot.chat.command('ask handbook how often do keys rotate?', person)).text()).toContain('forty-two');
      expect((await bot.chat.command('search handbook vpn', person)).text()).toContain('guide.pdf');
      expect((await bot.chat.command('list', person)).text()).toContain('**handbook**');
      expect((await bot.chat.command('files handbook', person)).text()).toContain('guide.pdf');
    });
  }

  it('leaves the KB untouched after a denied delete and says why', async () => {
    const reply = await bot.chat.command('delete handbook --yes', { user: 'U-MEMBER' });
    expect(reply.parts).toEqual([expect.objectContaining({ type: 'error', code: 'PERMISSION_DENIED' })]);
    expect(bot.kb.kbs.has('handbook')).toBe(true);
  });

  it('does not make admins of other platforms admins here', async () => {
    const other = await makeBot({ admins: { slack: ['U-MEMBER'] } });
    expect((await other.chat.command('create x', { user: 'U-MEMBER' })).text()).toMatch(DENIED);
    await other.close();
  });
});

describe('restricted knowledge bases', () => {
  let bot: TestBot;
  const member = { user: 'U-MEMBER' };
  const admin = { user: 'U-ADMIN' };
  beforeEach(async () => {
    bot = await makeBot();
    await bot.kb.seed('handbook', 'public', { 'guide.pdf': 'vpn keys rotate monthly' });
    await bot.chat.command('create secret "Board minutes" --private', { ...admin, channel: 'C-PRIV' });
    await bot.chat.command('upload secret', {
      ...admin,
      channel: 'C-PRIV',
      attachments: [fileRef('minutes.md', Buffer.from('vpn budget'))],
    });
  });
  afterEach(() => bot.close());

  it('is created restricted and bound to the channel it was created in', () => {
    expect(bot.kb.kbs.get('secret')?.visibility).toBe('restricted');
    expect(bot.runtime.kbNames({ platform: 'memory', workspace: 'W1', channel: 'C-PRIV' })).toEqual(['handbook', 'secret']);
    expect(bot.runtime.kbNames({ platform: 'memory', workspace: 'W1', channel: 'C1' })).toEqual(['handbook']);
  });

  it('answers in its channel; elsewhere it does not exist for members, and admins are told why', async () => {
    expect((await bot.chat.command('ask secret budget?', { ...member, channel: 'C-PRIV' })).text()).toContain('forty-two');
    const elsewhere = await bot.chat.command('ask secret budget?', { ...member, channel: 'C1' });
    expect(elsewhere.text()).toMatch(/No knowledge base named "secret"/);
    const admins = await bot.chat.command('ask secret budget?', { ...admin, channel: 'C1' });
    expect(admins.text()).toMatch(/"secret" is restricted to the channels it is bound to/);
    expect(bot.answers.requests.filter((r) => r.kbs?.includes('secret'))).toHaveLength(1);
  });

  it('is not searched or listed from other channels', async () => {
    const search = await bot.chat.command('search vpn', { ...member, channel: 'C1' });
    expect(search.text()).toContain('guide.pdf');
    expect(search.text()).not.toContain('minutes.md');
    expect((await bot.chat.command('search secret vpn', { ...member, channel: 'C1' })).text()).toMatch(/No knowledge base named/);
    expect((await bot.chat.command('list', { ...member, channel: 'C1' })).text()).not.toContain('secret');
    expect((await bot.chat.command('list', { ...admin, channel: 'C1' })).text()).toMatch(/shown to admins\):_ secret/);
  });

  it('can be bound to another channel only by an admin, which then may use it', async () => {
    expect((await bot.chat.command('use secret', { ...member, channel: 'C2' })).text()).toMatch(
      /No knowledge base named "secret"/,
    );
    expect((await bot.chat.command('use secret', { ...admin, channel: 'C2' })).text()).toContain('restricted');
    expect((await bot.chat.message('budget?', { ...member, channel: 'C2' })).text()).toContain('forty-two');
    expect(bot.answers.last().kbs).toEqual(['secret']);
  });

  it('is skipped as a default KB where it is not visible', async () => {
    const other = await makeBot({ defaultKb: { fallback: 'secret' } });
    await other.kb.seed('secret', 'restricted', { 'a.md': 'x' });
    await other.chat.message('anything?', { channel: 'C1' });
    expect(other.answers.last().mode).toBe('llm');
    await other.close();
  });
});

describe('rate limit', () => {
  it('answers a friendly message past N questions a minute and recovers after the minute', async () => {
    const bot = await makeBot({ rateLimitPerMinute: 2 });
    await bot.chat.message('one?');
    await bot.chat.message('two?');
    const third = await bot.chat.message('three?');
    expect(third.text()).toMatch(/you can ask 2 questions a minute\. Please try again in 60 s/);
    expect(third.parts).toEqual([expect.objectContaining({ type: 'error', code: 'RATE_LIMITED' })]);
    expect((await bot.chat.message('other user?', { user: 'U9' })).text()).toContain('forty-two');
    bot.advance(60_001);
    expect((await bot.chat.message('four?')).text()).toContain('forty-two');
    await bot.close();
  });
});
