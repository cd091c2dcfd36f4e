import type { ChatContext } from '../../core/chat.js';
import type { ChannelKey } from '../state/binding-store.js';
import type { ConversationKey } from '../state/conversation-store.js';

/**
 * A DM is one conversation; in a channel each thread is one, and a top-level message starts the
 * thread the bot answers in (its own id becomes the thread root).
 */
export function conversationKeyOf(ctx: ChatContext): ConversationKey {
  const thread = ctx.isDm ? '' : (ctx.thread ?? ctx.messageId ?? '');
  return { platform: ctx.platform, workspace: ctx.workspace, channel: ctx.channel, thread };
}

export function channelKeyOf(ctx: Pick<ChatContext, 'platform' | 'workspace' | 'channel'>): ChannelKey {
  return { platform: ctx.platform, workspace: ctx.workspace, channel: ctx.channel };
}

/** How a user is recorded as creator or binder: `<platform>:<user id>`. */
export function actorOf(ctx: Pick<ChatContext, 'platform' | 'user'>): string {
  return `${ctx.platform}:${ctx.user}`;
}
