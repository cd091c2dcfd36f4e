import pino from 'pino';
import { createDiscordAdapter } from '../../../adapters/discord/adapter.js';
import type { DiscordAdapterInput } from '../../../adapters/discord/options.js';
import type { CommandSpec } from '../../../core/chat.js';
import type { AdapterHarness, VisibleMessage } from '../../contract/chat-adapter.contract.js';
import { RecordingRuntime } from '../../helpers/recording-runtime.js';
import { FakeDiscord, type FakeDiscordOptions } from './fake/fake-discord.js';
import { interactionBase, messageObject, userMessageCreate } from './fake/payloads.js';
import { nextSnowflake } from './fake/snowflake.js';
import type { FakeChannel, FakeUser } from './fake/world.js';

export async function until<T>(fn: () => T | undefined | false, what: string, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export interface KbOption {
  name: string;
  /** 3 string, 5 boolean, 11 attachment (value = attachment id). */
  type: number;
  value: string | boolean;
}

export interface DiscordHarness extends AdapterHarness {
  fake: FakeDiscord;
  guildId: string;
  textChannel(name: string): FakeChannel;
  dmChannel(user: string): FakeChannel;
  user(name: string): FakeUser;
  sendUserMessage(o: {
    channel: FakeChannel;
    content: string;
    author?: FakeUser;
    mentionBot?: boolean;
    attachments?: unknown[];
  }): Promise<string>;
  sendKb(o: {
    subcommand: string;
    options?: KbOption[];
    channel?: FakeChannel;
    attachments?: Record<string, unknown>;
    roles?: string[];
  }): Promise<string>;
  sendInteraction(body: Record<string, unknown>, channel: FakeChannel): Promise<string>;
}

export const silentLogger = pino({ level: process.env.TEAMKB_TEST_LOG ?? 'silent' });

/** Starts a fake Discord and an adapter pointed at it (the adapter is not started: callers start it with a runtime). */
export async function makeDiscordHarness(
  o: { adapter?: Partial<DiscordAdapterInput>; fake?: FakeDiscordOptions; specs?: CommandSpec[] } = {},
): Promise<DiscordHarness> {
  const fake = await new FakeDiscord(o.fake).start();
  const world = fake.world;
  const specs = o.specs ?? new RecordingRuntime().commands();
  const adapter = createDiscordAdapter(
    { token: fake.token, applicationId: fake.applicationId, apiUrl: fake.apiUrl, editIntervalMs: 50, ...o.adapter },
    silentLogger,
  );
  const guildId = world.idFor('guild');
  const user = (name: string): FakeUser => ({ id: world.idFor(`user:${name}`), username: name });
  const textChannel = (name: string) =>
    world.channels.get(world.idFor(name)) ?? fake.channel({ id: world.idFor(name), type: 0, name, guildId });
  const dmChannel = (u: string) =>
    world.channels.get(world.idFor(`dm:${u}`)) ?? fake.channel({ id: world.idFor(`dm:${u}`), type: 1, name: u });

  const sendUserMessage: DiscordHarness['sendUserMessage'] = async (m) => {
    await fake.announce(m.channel.id);
    const id = nextSnowflake();
    const mention = m.mentionBot === false ? '' : `<@${fake.botId}> `;
    const d = userMessageCreate({
      id,
      channel: m.channel,
      author: m.author ?? user('U1'),
      content: `${mention}${m.content}`,
      mentions: m.mentionBot === false ? [] : [world.bot],
      attachments: m.attachments as never,
    });
    await fake.gateway.dispatch('MESSAGE_CREATE', d);
    return id;
  };

  const sendInteraction: DiscordHarness['sendInteraction'] = async (body, channel) => {
    const id = String(body.id);
    world.interactions.set(id, { id, token: String(body.token), channelId: channel.id, guildId: channel.guildId, callbacks: [] });
    const original = (body.message as { id?: string } | undefined)?.id;
    if (original) (world.interactions.get(id) as { originalId?: string }).originalId = original;
    await fake.announce(channel.id);
    await fake.gateway.dispatch('INTERACTION_CREATE', body);
    if (body.type !== 4) await until(() => fake.ackedAt(id), `ack of interaction ${id}`);
    return id;
  };

  const envelope = (channel: FakeChannel, roles?: string[]) => {
    const id = nextSnowflake();
    return interactionBase({ id, token: `token-${id}`, applicationId: fake.applicationId, channel, user: user('U1'), roles });
  };

  const sendKb: DiscordHarness['sendKb'] = async (k) => {
    const channel = k.channel ?? textChannel('C1');
    const data = {
      id: world.idFor('command:kb'),
      name: 'kb',
      type: 1,
      options: [{ type: 1, name: k.subcommand, options: k.options ?? [] }],
      ...(k.attachments ? { resolved: { attachments: k.attachments } } : {}),
    };
    return sendInteraction({ ...envelope(channel, k.roles), type: 2, data }, channel);
  };

  // Newest first: the latest message is what a test waiting for "the" reply most likely means.
  const visible = (): VisibleMessage[] =>
    fake
      .botMessages()
      .reverse()
      .filter((m) => m.content !== '' || m.components.length > 0)
      .map((m) => {
        const c = world.channels.get(m.channelId);
        const thread = c?.type === 11 ? c.id : undefined;
        const buttons = (m.components as { components: { custom_id: string }[] }[]).flatMap((row) =>
          row.components.map((b) => b.custom_id.replace(/^tkb:[a-z]+:/, '')),
        );
        return { channel: thread ? (c?.parentId ?? m.channelId) : m.channelId, thread, text: m.content, buttons };
      });

  return {
    adapter,
    fake,
    guildId,
    textChannel,
    dmChannel,
    user,
    sendUserMessage,
    sendKb,
    sendInteraction,
    visible,
    async sendMention(m) {
      await sendUserMessage({ channel: textChannel(m.channel), content: m.text, author: user(m.user) });
    },
    async sendDm(m) {
      await sendUserMessage({ channel: dmChannel(m.user), content: m.text, author: user(m.user), mentionBot: false });
    },
    async sendWithFile(m) {
      const served = fake.serveFile(m.fileName, m.bytes);
      const attachment = {
        id: nextSnowflake(),
        filename: m.fileName,
        size: served.size,
        url: served.url,
        content_type: 'text/plain',
      };
      await sendUserMessage({ channel: textChannel('C1'), content: m.text, attachments: [attachment] });
    },
    async sendCommand(c) {
      const [subcommand = '', ...words] = c.text.split(/\s+/).filter(Boolean);
      const spec = specs.find((s) => s.name === subcommand);
      const strings = (spec?.options ?? []).filter((opt) => opt.kind === 'kb' || opt.kind === 'text');
      const options: KbOption[] = [];
      strings.forEach((opt, i) => {
        const value = i === strings.length - 1 ? words.slice(i).join(' ') : words[i];
        if (value) options.push({ name: opt.name, type: 3, value });
      });
      await sendKb({ subcommand, options });
    },
    async clickButton(b) {
      const customId = `tkb:${b.action}:${b.value}`;
      const m = fake
        .botMessages()
        .reverse()
        .find((x) => JSON.stringify(x.components).includes(JSON.stringify(customId)));
      if (!m) throw new Error(`no message shows a button ${customId}`);
      const channel = world.channels.get(m.channelId) as FakeChannel;
      const body = {
        ...envelope(channel),
        type: 3,
        message: messageObject(world, m),
        data: { custom_id: customId, component_type: 2 },
      };
      await sendInteraction(body, channel);
    },
    async redeliverLast() {
      const last = [...fake.gateway.sent]
        .reverse()
        .find((f) => f.t === 'MESSAGE_CREATE' && (f.d as { author: { id: string } }).author.id !== fake.botId);
      if (last) await fake.gateway.dispatch('MESSAGE_CREATE', last.d);
    },
    async close() {
      await fake.stop();
    },
  };
}
