import { z } from 'zod';

/** Schemas for the parts of Feishu payloads we read; unknown fields pass through untouched. */

const userId = z.looseObject({
  open_id: z.string().optional(),
  union_id: z.string().optional(),
  user_id: z.string().optional(),
});

export const mentionSchema = z.looseObject({
  key: z.string(),
  id: userId.optional(),
  name: z.string().optional(),
});
export type Mention = z.infer<typeof mentionSchema>;

export const messageReceiveSchema = z.looseObject({
  sender: z.looseObject({
    sender_id: userId.optional(),
    sender_type: z.string().optional(),
  }),
  message: z.looseObject({
    message_id: z.string(),
    root_id: z.string().optional(),
    parent_id: z.string().optional(),
    thread_id: z.string().optional(),
    chat_id: z.string(),
    chat_type: z.string(),
    message_type: z.string(),
    content: z.string(),
    mentions: z.array(mentionSchema).optional(),
  }),
});
export type MessageReceiveEvent = z.infer<typeof messageReceiveSchema>;

export const cardActionSchema = z.looseObject({
  operator: z.looseObject({ open_id: z.string().optional(), user_id: z.string().optional() }).optional(),
  action: z.looseObject({ value: z.unknown(), tag: z.string().optional() }),
  context: z
    .looseObject({
      open_message_id: z.string().optional(),
      open_chat_id: z.string().optional(),
    })
    .optional(),
});
export type CardActionEvent = z.infer<typeof cardActionSchema>;

/** A message as returned by GET /open-apis/im/v1/messages/:message_id (used for reply-to-file). */
export interface FetchedMessage {
  messageId: string;
  msgType: string;
  content: string;
  senderType?: string;
}

/** An attachment key inside a message, downloaded with the message-resource API. */
export interface ResourceKey {
  key: string;
  type: 'file' | 'image';
  name: string;
}

/** The part of a Feishu event every handler needs, whichever transport delivered it. */
/** Events and signed requests older than this are refused (Slack's window for signed requests). */
export const MAX_EVENT_AGE_MS = 5 * 60_000;

export interface FeishuEnvelope {
  eventId: string;
  eventType: string;
  tenantKey?: string;
  /** When Feishu created the event (epoch ms, header.create_time), when it says. */
  createdAt?: number;
  /** The `event` object (over HTTP) or the SDK's flattened event (long connection). */
  event: Record<string, unknown>;
}
