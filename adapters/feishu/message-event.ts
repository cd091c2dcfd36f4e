import type { ChatContext } from '../../core/chat.js';
import { parseMessageContent } from './content.js';
import { type FeishuEnvelope, type MessageReceiveEvent, messageReceiveSchema, type ResourceKey } from './types.js';

export const PLATFORM = 'feishu';

/** An `im.message.receive_v1` event read into what the dispatcher decides on. */
export interface ReceivedMessage {
  context: ChatContext;
  /** Text with the bot's mention removed and other mentions as `@Name`. */
  text: string;
  /** Everything after `/kb` when the text is a command. */
  command?: string;
  /** The bot was @mentioned, or it is a direct chat. */
  addressed: boolean;
  messageType: string;
  resources: ResourceKey[];
  parentId?: string;
  /** The message sits in a topic thread (so replies go into that thread). */
  inThread: boolean;
}

/** `/kb` or the full-width `／kb` (Chinese input methods), then a space or the end. */
const COMMAND = /^[/／]kb(?:\s+|$)/i;

export function commandText(text: string): string | undefined {
  const match = COMMAND.exec(text);
  return match ? text.slice(match[0].length).trim() : undefined;
}

function mentionsBot(event: MessageReceiveEvent, botOpenId: string | undefined): { keys: Set<string>; any: boolean } {
  const mentions = event.message.mentions ?? [];
  // Without the bot's open_id, a delivered group message with a mention is addressed to us:
  // Feishu only delivers group messages that @mention the bot unless the app may read all.
  const keys = new Set(mentions.filter((m) => (botOpenId ? m.id?.open_id === botOpenId : true)).map((m) => m.key));
  return { keys, any: keys.size > 0 };
}

/**
 * Reads a message event. Returns undefined for payloads we cannot read and for the bot's own
 * messages (sender_type `app`, or the bot's open_id).
 */
export function readMessageEvent(envelope: FeishuEnvelope, botOpenId: string | undefined): ReceivedMessage | undefined {
  const parsed = messageReceiveSchema.safeParse(envelope.event);
  if (!parsed.success) return undefined;
  const event = parsed.data;
  const senderOpenId = event.sender.sender_id?.open_id ?? event.sender.sender_id?.user_id;
  if (event.sender.sender_type === 'app' || (botOpenId && senderOpenId === botOpenId) || !senderOpenId) return undefined;

  const { message } = event;
  const isDm = message.chat_type === 'p2p';
  const bot = mentionsBot(event, botOpenId);
  const names = new Map((message.mentions ?? []).map((m) => [m.key, m.name]));
  const mentionText = (key: string): string | undefined => {
    if (bot.keys.has(key)) return '';
    const name = names.get(key);
    return name === undefined ? undefined : `@${name}`;
  };
  const content = parseMessageContent(message.message_type, message.content, mentionText, [...names.keys()]);
  const command = commandText(content.text);

  const context: ChatContext = {
    platform: PLATFORM,
    workspace: envelope.tenantKey ?? 'default',
    channel: message.chat_id,
    // A top-level group message starts a conversation rooted at itself (replies thread under it);
    // direct chats are one running conversation unless the user replies to a message.
    thread: message.root_id || message.thread_id || (isDm ? undefined : message.message_id),
    messageId: message.message_id,
    user: senderOpenId,
    isDm,
    eventId: envelope.eventId,
  };
  return {
    context,
    text: content.text,
    command,
    addressed: isDm || bot.any,
    messageType: message.message_type,
    resources: content.resources,
    parentId: message.parent_id || undefined,
    inThread: Boolean(message.thread_id),
  };
}
