import type { IncomingEvent } from '../../core/chat.js';
import { TeamKbError } from '../../core/errors.js';
import type { ConversationKey } from '../state/conversation-store.js';
import { conversationKeyOf } from './conversation-key.js';
import type { Services } from './services.js';

/**
 * The model a conversation uses, undefined for the default: its own choice, else the one chosen for
 * the whole channel (`/kb model` sent outside a thread, as slash commands are), so every question,
 * file chat and command in that channel's threads uses it too.
 */
export function conversationModel(svc: Pick<Services, 'conversations'>, key: ConversationKey): string | undefined {
  return svc.conversations.model(key) ?? (key.thread ? svc.conversations.model({ ...key, thread: '' }) : undefined);
}

/**
 * A model the client picked for this message (the web chat's model picker) becomes the
 * conversation's model before the message is handled, exactly as `/kb model <name>` would set it.
 */
export function adoptPickedModel(svc: Services, event: IncomingEvent): void {
  const picked = event.model?.trim();
  if (!picked) return;
  const models = svc.answers.models();
  const wanted = models.find((m) => m.toLowerCase() === picked.toLowerCase());
  if (!wanted)
    throw new TeamKbError('MODEL_NOT_FOUND', `There is no model "${picked}". Available: ${models.join(', ') || 'none'}.`);
  const key = conversationKeyOf(event);
  if (conversationModel(svc, key) === (wanted === models[0] ? undefined : wanted)) return;
  svc.conversations.setModel(key, wanted === models[0] ? null : wanted, svc.now());
}
