import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { userMessageCreate } from './fake/payloads.js';
import { nextSnowflake } from './fake/snowflake.js';
import { type DiscordHarness, makeDiscordHarness, until } from './harness.js';
import { ScriptedRuntime } from './scripted-runtime.js';

describe('discord conversations', () => {
  let h: DiscordHarness;
  const runtime = new ScriptedRuntime();

  beforeAll(async () => {
    h = await makeDiscordHarness();
    await h.adapter.start(runtime);
  });
  afterAll(async () => {
    await h.adapter.stop();
    await h.close();
  });
  beforeEach(() => {
    runtime.script = async (event, reply) => {
      await reply.write({ type: 'message', markdown: `echo: ${event.kind === 'action' ? event.value : event.text}` });
    };
  });

  const routes = () => h.fake.rest.calls.map((c) => `${c.method} ${c.route}`);
  const reply = (text: string) => until(() => h.fake.botMessages().find((m) => m.content === `echo: ${text}`), `reply "${text}"`);

  it('answers a mention in a new thread started from the message', async () => {
    const channel = h.textChannel('general');
    const id = await h.sendUserMessage({ channel, content: 'how do I rotate the VPN key?' });
    const answer = await reply('how do I rotate the VPN key?');
    expect(routes()).toContain(`POST /channels/${channel.id}/messages/${id}/threads`);
    expect(answer.channelId).toBe(id);
    expect(h.fake.world.channels.get(id)).toMatchObject({ type: 11, parentId: channel.id, name: 'how do I rotate the VPN key?' });
    const event = runtime.last('message');
    expect(event).toMatchObject({ channel: channel.id, messageId: id, isDm: false, workspace: h.guildId, thread: undefined });
  });

  it('answers a follow-up in its own thread without a mention, keeping the conversation', async () => {
    const channel = h.textChannel('general');
    const root = await h.sendUserMessage({ channel, content: 'first question' });
    await reply('first question');
    const thread = h.fake.world.channels.get(root);
    if (!thread) throw new Error('no thread');
    const threadsBefore = routes().filter((r) => r.endsWith('/threads')).length;
    await h.sendUserMessage({ channel: thread, content: 'and a follow-up', mentionBot: false });
    const answer = await reply('and a follow-up');
    expect(answer.channelId).toBe(root);
    expect(routes().filter((r) => r.endsWith('/threads')).length).toBe(threadsBefore);
    expect(runtime.last('message')).toMatchObject({ channel: channel.id, thread: root });
  });

  it('answers a mention inside someone else’s thread in that thread, and ignores unmentioned chatter there', async () => {
    const parent = h.textChannel('support');
    const thread = h.fake.channel({
      id: h.fake.world.idFor('their-thread'),
      type: 11,
      name: 'their thread',
      guildId: h.guildId,
      parentId: parent.id,
      ownerId: h.user('U9').id,
    });
    await h.sendUserMessage({ channel: thread, content: 'just chatting', mentionBot: false });
    await h.sendUserMessage({ channel: thread, content: 'bot, help here' });
    const answer = await reply('bot, help here');
    expect(answer.channelId).toBe(thread.id);
    expect(runtime.events.some((e) => e.kind === 'message' && e.text === 'just chatting')).toBe(false);
  });

  it('answers a mention of its role as a mention of itself', async () => {
    const channel = h.textChannel('general');
    await h.fake.announce(channel.id);
    const d = userMessageCreate({
      id: nextSnowflake(),
      channel,
      author: h.user('U3'),
      content: `<@&${h.fake.world.botRoleId}> what is the leave policy?`,
      mentionRoles: [h.fake.world.botRoleId],
    });
    await h.fake.gateway.dispatch('MESSAGE_CREATE', d);
    await reply('what is the leave policy?');
  });

  it('answers a DM in the DM channel', async () => {
    const dm = h.dmChannel('U2');
    await h.sendUserMessage({ channel: dm, content: 'hello in private', author: h.user('U2'), mentionBot: false });
    const answer = await reply('hello in private');
    expect(answer.channelId).toBe(dm.id);
    expect(runtime.last('message')).toMatchObject({ isDm: true, workspace: 'dm', channel: dm.id, user: h.user('U2').id });
  });

  it('ignores channel messages without a mention, other bots, and its own messages', async () => {
    const channel = h.textChannel('general');
    const before = runtime.events.length;
    await h.sendUserMessage({ channel, content: 'nobody asked the bot', mentionBot: false });
    await h.sendUserMessage({
      channel,
      content: 'I am a bot too',
      author: { id: h.fake.world.idFor('other-bot'), username: 'otherbot', bot: true },
    });
    await h.sendUserMessage({ channel, content: 'marker' });
    await reply('marker');
    expect(runtime.events.slice(before).map((e) => (e.kind === 'message' ? e.text : e.kind))).toEqual(['marker']);
    // Every bot reply was echoed back over the gateway; none became an event.
    expect(runtime.events.every((e) => e.user !== h.fake.botId)).toBe(true);
    expect(
      h.fake.gateway.sent.filter(
        (f) => f.t === 'MESSAGE_CREATE' && (f.d as { author: { id: string } }).author.id === h.fake.botId,
      ).length,
    ).toBeGreaterThan(3);
  });

  it('answers in the channel, as a reply, when it may not start a thread', async () => {
    const channel = h.textChannel('no-threads');
    h.fake.rest.failNext('POST', /\/threads$/, { status: 403, body: { code: 50013, message: 'Missing Permissions' } });
    const id = await h.sendUserMessage({ channel, content: 'threads are off here' });
    const answer = await reply('threads are off here');
    expect(answer.channelId).toBe(channel.id);
    expect(answer.referenceId).toBe(id);
  });

  it('survives malformed gateway payloads and keeps answering', async () => {
    const channel = h.textChannel('general');
    await h.fake.gateway.dispatch('MESSAGE_CREATE', { id: '1', channel_id: channel.id, guild_id: h.guildId });
    await h.fake.gateway.dispatch('MESSAGE_CREATE', { channel_id: channel.id });
    await h.fake.gateway.dispatch('INTERACTION_CREATE', { id: '5', type: 3, channel_id: channel.id });
    await h.fake.gateway.dispatch('INTERACTION_CREATE', { id: '6', type: 2, data: {} });
    await h.fake.gateway.dispatch('GUILD_CREATE', null);
    await h.fake.gateway.sendRaw('{"op":0,"t":"MESSAGE_CREATE","s":99,');
    await h.sendUserMessage({ channel, content: 'still there?' });
    await reply('still there?');
  });
});
