import type { FakeChannel, FakeMessage, FakeUser, FakeWorld } from './world.js';

const NOW = () => new Date().toISOString();

export function userObject(u: FakeUser) {
  return {
    id: u.id,
    username: u.username,
    global_name: null,
    discriminator: '0',
    avatar: null,
    public_flags: 0,
    bot: u.bot ?? false,
  };
}

export function channelObject(c: FakeChannel) {
  const base = { id: c.id, type: c.type, name: c.name, guild_id: c.guildId, permission_overwrites: [], position: 0 };
  if (c.type !== 11) return base;
  return {
    ...base,
    parent_id: c.parentId,
    owner_id: c.ownerId,
    message_count: 0,
    member_count: 1,
    thread_metadata: { archived: false, auto_archive_duration: 1440, archive_timestamp: NOW(), locked: false },
  };
}

export function guildCreate(world: FakeWorld, guildId: string) {
  const channels = [...world.channels.values()].filter((c) => c.guildId === guildId);
  return {
    id: guildId,
    name: 'TeamKB test guild',
    icon: null,
    owner_id: world.bot.id,
    unavailable: false,
    large: false,
    member_count: 2,
    joined_at: NOW(),
    features: [],
    emojis: [],
    stickers: [],
    roles: [guildId, ...(world.roles.get(guildId) ?? [])]
      .map((id, position) => ({
        id,
        name: id === guildId ? '@everyone' : `role-${position}`,
        permissions: '1024',
        position,
        color: 0,
        hoist: false,
        managed: false,
        mentionable: false,
      }))
      .concat([{ ...botRole(world), position: 99 }]),
    channels: channels.filter((c) => c.type !== 11).map(channelObject),
    threads: channels.filter((c) => c.type === 11).map(channelObject),
    members: [],
    voice_states: [],
    presences: [],
  };
}

function botRole(world: FakeWorld) {
  const base = { id: world.botRoleId, name: world.bot.username, permissions: '1024', color: 0, hoist: false, mentionable: true };
  return { ...base, managed: true, tags: { bot_id: world.bot.id } };
}

/** The message object Discord returns for (and dispatches about) a message the bot sent. */
export function messageObject(world: FakeWorld, m: FakeMessage) {
  const channel = world.channels.get(m.channelId);
  return {
    id: m.id,
    type: m.referenceId ? 19 : 0,
    channel_id: m.channelId,
    guild_id: channel?.guildId,
    author: userObject(m.author),
    content: m.content,
    components: m.components,
    flags: m.flags,
    timestamp: NOW(),
    edited_timestamp: m.updates > 1 ? NOW() : null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: [],
    pinned: false,
    webhook_id: m.via === 'webhook' ? world.bot.id : undefined,
    message_reference: m.referenceId ? { message_id: m.referenceId, channel_id: m.channelId } : undefined,
  };
}

export interface UserMessageInput {
  id: string;
  channel: FakeChannel;
  author: FakeUser;
  content: string;
  mentions?: FakeUser[];
  mentionRoles?: string[];
  attachments?: { id: string; filename: string; size: number; url: string; content_type?: string }[];
  roles?: string[];
}

/** A MESSAGE_CREATE body as the gateway sends it for a user's message. */
export function userMessageCreate(m: UserMessageInput) {
  const inGuild = m.channel.guildId !== undefined;
  return {
    id: m.id,
    type: 0,
    channel_id: m.channel.id,
    ...(inGuild
      ? { guild_id: m.channel.guildId, member: { roles: m.roles ?? [], joined_at: NOW(), deaf: false, mute: false } }
      : {}),
    ...(inGuild ? {} : { channel_type: 1 }),
    author: userObject(m.author),
    content: m.content,
    mentions: (m.mentions ?? []).map(userObject),
    mention_roles: m.mentionRoles ?? [],
    mention_everyone: false,
    attachments: (m.attachments ?? []).map((a) => ({ ...a, proxy_url: a.url })),
    embeds: [],
    components: [],
    flags: 0,
    tts: false,
    pinned: false,
    timestamp: NOW(),
    edited_timestamp: null,
    nonce: m.id,
  };
}

export interface InteractionEnvelope {
  id: string;
  token: string;
  applicationId: string;
  channel: FakeChannel;
  user: FakeUser;
  roles?: string[];
}

/** The parts every interaction shares: who, where, token. DMs carry `user`, guilds carry `member`. */
export function interactionBase(e: InteractionEnvelope) {
  const inGuild = e.channel.guildId !== undefined;
  return {
    id: e.id,
    application_id: e.applicationId,
    token: e.token,
    version: 1,
    channel_id: e.channel.id,
    channel: channelObject(e.channel),
    locale: 'en-US',
    app_permissions: '2248473465835073',
    entitlements: [],
    authorizing_integration_owners: { '0': e.channel.guildId ?? '0' },
    context: inGuild ? 0 : 1,
    ...(inGuild
      ? {
          guild_id: e.channel.guildId,
          guild_locale: 'en-US',
          member: {
            user: userObject(e.user),
            roles: e.roles ?? [],
            permissions: '1024',
            joined_at: NOW(),
            deaf: false,
            mute: false,
          },
        }
      : { user: userObject(e.user) }),
  };
}
