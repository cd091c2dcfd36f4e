import type { ChatContext } from '../../core/chat.js';
import { TeamKbError } from '../../core/errors.js';
import type { KnowledgeBase } from '../../core/registry.js';
import { closest, editDistance } from '../commands/edit-distance.js';
import { isTempKbName } from '../commands/kb-name.js';
import type { Services } from './services.js';

type Where = Pick<ChatContext, 'platform' | 'workspace' | 'channel'>;

/** Knowledge bases that users may name (temporary file-chat KBs are private to their conversation). */
export function namedKbs(svc: Services): KnowledgeBase[] {
  return svc.kb.listKbs().filter((kb) => !isTempKbName(kb.name));
}

export function visibleKbs(svc: Services, where: Where): KnowledgeBase[] {
  return namedKbs(svc).filter((kb) => svc.permissions.canSee(kb, where));
}

function notFound(svc: Services, name: string, where: Where): TeamKbError {
  const names = visibleKbs(svc, where).map((kb) => kb.name);
  const near = closest(name, names, (n) => [n]);
  const similar = near !== undefined && editDistance(name.toLowerCase(), near.toLowerCase()) <= Math.max(2, name.length / 3);
  const hint = similar ? ` Did you mean "${near}"?` : names.length ? '' : ' No knowledge bases exist yet.';
  return new TeamKbError('KB_NOT_FOUND', `No knowledge base named "${name}".${hint} \`/kb list\` shows them.`, {
    details: { kb: name },
  });
}

/**
 * A KB the user names. It must exist. `read`: visible here. `manage`: the user is an admin.
 * `bind`: visible here, or the user is an admin (binding a restricted KB grants this channel access).
 */
export function resolveKb(
  svc: Services,
  ctx: ChatContext,
  name: string,
  purpose: 'read' | 'manage' | 'bind',
  doing = '',
): KnowledgeBase {
  if (isTempKbName(name)) {
    throw new TeamKbError('KB_NOT_FOUND', `"${name}" holds files shared in a conversation; it cannot be used by name.`);
  }
  if (purpose === 'manage') svc.permissions.requireAdmin(ctx, doing || `manage knowledge base "${name}"`);
  const kb = namedKbs(svc).find((k) => k.name === name);
  if (!kb) throw notFound(svc, name, ctx);
  if (purpose === 'read') svc.permissions.requireVisible(kb, ctx);
  if (purpose === 'bind' && !svc.permissions.canSee(kb, ctx)) {
    svc.permissions.requireAdmin(ctx, `give this channel access to restricted knowledge base "${name}"`);
  }
  return kb;
}
