import { ButtonCodec, type DecodedButton } from '../../core/button-codec.js';
import type { IncomingAction } from '../../core/chat.js';
import { PLATFORM } from './message-event.js';
import { cardActionSchema, type FeishuEnvelope } from './types.js';

const BUTTONS = new ButtonCodec();

/** Button values arrive as the object we put on the button (`{ teamkb: <token> }`), or as its JSON text. */
export function readButtonValue(raw: unknown): DecodedButton | undefined {
  let value = raw;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { teamkb } = value as Record<string, unknown>;
  return typeof teamkb === 'string' ? BUTTONS.decode(teamkb) : undefined;
}

/**
 * A `card.action.trigger` callback for one of our buttons → IncomingAction; anything else
 * (other apps' cards, malformed payloads) → undefined.
 */
export function readCardAction(envelope: FeishuEnvelope, isDmChat: (chatId: string) => boolean): IncomingAction | undefined {
  const parsed = cardActionSchema.safeParse(envelope.event);
  if (!parsed.success) return undefined;
  const { operator, action, context } = parsed.data;
  const button = readButtonValue(action.value);
  const user = operator?.open_id ?? operator?.user_id;
  const channel = context?.open_chat_id;
  if (!button || !user || !channel) return undefined;
  return {
    kind: 'action',
    action: button.action,
    value: button.value,
    platform: PLATFORM,
    workspace: envelope.tenantKey ?? 'default',
    channel,
    messageId: context?.open_message_id,
    user,
    isDm: isDmChat(channel),
    eventId: envelope.eventId,
  };
}
