import type { ChatContext } from '../../core/chat.js';
import { TeamKbError } from '../../core/errors.js';
import type { KnowledgeBase } from '../../core/registry.js';
import { principalOfContext } from '../access/principal-of.js';
import { isTempKbName } from '../commands/kb-name.js';
import type { Services } from './services.js';

type Where = Pick<ChatContext, 'platform' | 'workspace' | 'channel' | 'principal'> & Partial<Pick<ChatContext, 'user' | 'roles'>>;

/** Knowledge bases that exist under a name (temporary file-chat KBs are private to their conversation). */
export function namedKbs(svc: Services): KnowledgeBase[] {
  return svc.kb.listKbs().filter((kb) => !isTempKbName(kb.name));
}

/** KBs the event's principal may ask from where it is. */
export function visibleKbs(svc: Services, where: Where): KnowledgeBase[] {
  return svc.permissions.usableKbs(where);
}

/**
 * A KB the user names, through the access policy. `read`: searchable from here. `upload`: files
 * may be added or removed. `manage`: create/delete rights. `bind`: the user may see it (admins
 * see every KB, so binding a restricted KB to a channel is theirs to do).
 */
export function resolveKb(
  svc: Services,
  ctx: ChatContext,
  name: string,
  purpose: 'read' | 'upload' | 'manage' | 'bind',
  doing = '',
): KnowledgeBase {
  if (isTempKbName(name)) {
    throw new TeamKbError('KB_NOT_FOUND', `"${name}" holds files shared in a conversation; it cannot be used by name.`);
  }
  const policy = svc.permissions.policy;
  const p = principalOfContext(ctx);
  if (purpose === 'manage' || purpose === 'upload') {
    // Non-admins learn that managing needs admin rights before learning whether the KB exists.
    const kb = policy.find(p, name);
    if (!kb || !policy.can(p, kb, purpose)) policy.requireAdmin(p, doing || `manage knowledge base "${name}"`);
    return policy.require(p, name, purpose, doing);
  }
  const kb = policy.require(p, name, 'see');
  if (purpose === 'bind' || policy.can(p, kb, 'search')) return kb;
  throw new TeamKbError(
    'PERMISSION_DENIED',
    `Knowledge base "${kb.name}" is restricted to the channels it is bound to, and this is not one of them.`,
    { details: { kb: kb.name, channel: ctx.channel } },
  );
}
