import { createCipheriv, createHash, randomBytes, randomUUID } from 'node:crypto';
import { BOT_OPEN_ID } from './open-api.js';

export const APP_ID = 'cli_0123456789abcdef';
export const TENANT = 'tenant_fake';

export interface MessageSpec {
  chatId: string;
  chatType?: 'group' | 'p2p';
  user?: string;
  messageId?: string;
  messageType?: string;
  /** The message.content object (serialised into the JSON string Feishu sends). */
  content: Record<string, unknown>;
  mentions?: { key: string; openId: string; name: string }[];
  parentId?: string;
  rootId?: string;
  threadId?: string;
  senderType?: 'user' | 'app';
  eventId?: string;
}

/** A schema 2.0 `im.message.receive_v1` callback body. */
export function messageEvent(spec: MessageSpec): Record<string, unknown> {
  const messageId = spec.messageId ?? `om_${randomUUID().slice(0, 12)}`;
  return {
    schema: '2.0',
    header: {
      event_id: spec.eventId ?? randomUUID().replace(/-/g, ''),
      token: 'verification-token',
      create_time: String(Date.now()),
      event_type: 'im.message.receive_v1',
      tenant_key: TENANT,
      app_id: APP_ID,
    },
    event: {
      sender: {
        sender_id: { open_id: spec.user ?? 'ou_user_1', union_id: 'on_u', user_id: 'u1' },
        sender_type: spec.senderType ?? 'user',
        tenant_key: TENANT,
      },
      message: {
        message_id: messageId,
        root_id: spec.rootId,
        parent_id: spec.parentId,
        thread_id: spec.threadId,
        chat_id: spec.chatId,
        chat_type: spec.chatType ?? 'group',
        message_type: spec.messageType ?? 'text',
        content: JSON.stringify(spec.content),
        create_time: String(Date.now()),
        mentions: spec.mentions?.map((m) => ({
          key: m.key,
          id: { open_id: m.openId, union_id: '', user_id: '' },
          name: m.name,
          tenant_key: TENANT,
        })),
      },
    },
  };
}

/** A text message that @mentions the bot first, as the Feishu client writes it. */
export function mentionEvent(
  text: string,
  chatId: string,
  user = 'ou_user_1',
  extra: Partial<MessageSpec> = {},
): Record<string, unknown> {
  return messageEvent({
    chatId,
    user,
    content: { text: `@_user_1 ${text}` },
    mentions: [{ key: '@_user_1', openId: BOT_OPEN_ID, name: 'TeamKB' }],
    ...extra,
  });
}

export function messageIdOf(event: Record<string, unknown>): string {
  return ((event.event as Record<string, unknown>).message as { message_id: string }).message_id;
}

/** A schema 2.0 `card.action.trigger` callback for a button click. */
export function cardActionEvent(o: {
  value: unknown;
  chatId: string;
  messageId: string;
  user?: string;
}): Record<string, unknown> {
  return {
    schema: '2.0',
    header: {
      event_id: randomUUID().replace(/-/g, ''),
      token: 'verification-token',
      create_time: String(Date.now()),
      event_type: 'card.action.trigger',
      tenant_key: TENANT,
      app_id: APP_ID,
    },
    event: {
      operator: { open_id: o.user ?? 'ou_user_1', union_id: 'on_u' },
      token: 'c-card-token',
      action: { tag: 'button', value: o.value },
      host: 'im_message',
      context: { open_message_id: o.messageId, open_chat_id: o.chatId },
    },
  };
}

/** Encrypts like the platform: AES-256-CBC, key SHA-256(encrypt key), random IV prepended, base64. */
export function encrypt(plaintext: string, encryptKey: string): string {
  const key = createHash('sha256').update(encryptKey).digest();
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  return Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final()]).toString('base64');
}

export function sign(timestamp: string, nonce: string, encryptKey: string, body: string): string {
  return createHash('sha256')
    .update(timestamp + nonce + encryptKey + body)
    .digest('hex');
}

/** Body and headers of a signed, encrypted callback, exactly as Feishu posts it. */
export function signedRequest(payload: unknown, encryptKey: string): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify({ encrypt: encrypt(JSON.stringify(payload), encryptKey) });
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = randomUUID();
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'x-lark-request-timestamp': timestamp,
      'x-lark-request-nonce': nonce,
      'x-lark-signature': sign(timestamp, nonce, encryptKey, body),
    },
  };
}
