import type { APIInteractionGuildMember, ButtonInteraction, ChatInputCommandInteraction, GuildMember, Message } from 'discord.js';
import type { ChatContext } from '../../core/chat.js';

export const PLATFORM = 'discord';

/** Who, where and which event, for a message. A thread's conversation is (parent channel, thread id). */
export function messageContext(message: Message): ChatContext {
  const channel = message.channel;
  const inThread = channel.isThread();
  return {
    platform: PLATFORM,
    workspace: message.guildId ?? 'dm',
    channel: inThread ? (channel.parentId ?? channel.id) : channel.id,
    thread: inThread ? channel.id : undefined,
    messageId: message.id,
    user: message.author.id,
    userName: message.author.globalName ?? message.author.username,
    isDm: !message.inGuild(),
    eventId: message.id,
    roles: memberRoles(message.member, message.guildId),
  };
}

export function interactionContext(interaction: ChatInputCommandInteraction | ButtonInteraction): ChatContext {
  const channelId = interaction.channelId ?? 'unknown';
  const channel = interaction.channel;
  const thread = channel?.isThread() ? channel : undefined;
  return {
    platform: PLATFORM,
    workspace: interaction.guildId ?? 'dm',
    channel: thread?.parentId ?? channelId,
    thread: thread ? channelId : undefined,
    messageId: interaction.isButton() ? interaction.message.id : undefined,
    user: interaction.user.id,
    userName: interaction.user.globalName ?? interaction.user.username,
    isDm: !interaction.inGuild(),
    eventId: interaction.id,
    roles: memberRoles(interaction.member, interaction.guildId),
  };
}

/** Role ids of a guild member (without @everyone, whose id is the guild's); undefined outside guilds. */
function memberRoles(member: GuildMember | APIInteractionGuildMember | null, guildId: string | null): string[] | undefined {
  if (!member) return undefined;
  const ids = Array.isArray(member.roles) ? member.roles : [...member.roles.cache.keys()];
  return ids.filter((id) => id !== guildId);
}
