import type { IncomingAction } from '../../core/chat.js';
import { PLATFORM } from './message-event.js';
import { type ButtonValue, cardActionSchema, type FeishuEnvelope } from './types.js';

const ACTIONS = new Set<ButtonValue['teamkb']>(['feedback', 'confirm', 'cancel']);

/** Button values arrive as the object we put on the button, or as its JSON text. */
export function readButtonValue(raw: unknown): ButtonValue | undefined {
  let value = raw;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { teamkb, value: inner } = value as Record<string, unknown>;
  if (typeof teamkb !== 'string' || !ACTIONS.has(teamkb as ButtonValue['teamkb']) || typeof inner !== 'string') return undefined;
  return { teamkb: teamkb as ButtonValue['teamkb'], value: inner };
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
    action: button.teamkb,
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
