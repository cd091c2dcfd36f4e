import type { IncomingAction, Reply } from '../../core/chat.js';
import { TeamKbError } from '../../core/errors.js';
import { deleteKbNow } from '../commands/handlers/manage.js';
import { say } from '../commands/handlers/types.js';
import type { Services } from './services.js';

/** `<answerId>:up` or `<answerId>:down` (the id itself may contain colons). */
function parseFeedback(value: string): { answerId: string; vote: 'up' | 'down' } | undefined {
  const at = value.lastIndexOf(':');
  const vote = value.slice(at + 1);
  const answerId = value.slice(0, at);
  if (at <= 0 || (vote !== 'up' && vote !== 'down')) return undefined;
  return { answerId, vote };
}

async function feedback(svc: Services, action: IncomingAction, reply: Reply): Promise<void> {
  const parsed = parseFeedback(action.value);
  if (!parsed) throw new TeamKbError('INVALID_INPUT', 'That feedback button is not one of mine.');
  if (!svc.conversations.hasAnswer(parsed.answerId)) {
    await say(reply, 'That answer is no longer on record (its conversation was reset), so the vote was not kept.', true);
    return;
  }
  svc.feedback.record({ ...parsed, platform: action.platform, user: action.user }, svc.now());
  await say(reply, parsed.vote === 'up' ? 'Thanks for the feedback! 👍' : 'Thanks — noted that this answer missed. 👎', true);
}

/** Confirm or cancel a pending deletion; only admins may do either, and each token works once. */
async function confirmation(svc: Services, action: IncomingAction, reply: Reply): Promise<void> {
  const pending = svc.confirmations.peek(action.value, svc.now());
  if (!pending) {
    await say(reply, 'This confirmation has expired or was already used. Run the command again if you still want it.');
    return;
  }
  svc.permissions.requireAdmin(action, `confirm deleting "${pending.kb}"`);
  if (!svc.confirmations.take(pending.token)) return say(reply, 'This confirmation was already used.');
  if (action.action === 'cancel') return say(reply, `Cancelled — **${pending.kb}** was not deleted.`);
  await deleteKbNow(svc, pending.kb, reply);
}

export async function handleAction(svc: Services, action: IncomingAction, reply: Reply): Promise<void> {
  if (action.action === 'feedback') return feedback(svc, action, reply);
  return confirmation(svc, action, reply);
}
