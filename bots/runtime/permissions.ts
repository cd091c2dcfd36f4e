import type { ChatContext } from '../../core/chat.js';
import { TeamKbError } from '../../core/errors.js';
import type { KnowledgeBase } from '../../core/registry.js';
import type { BindingStore } from '../state/binding-store.js';
import type { RuntimeConfig } from './config.js';
import { channelKeyOf } from './conversation-key.js';

type Where = Pick<ChatContext, 'platform' | 'workspace' | 'channel'>;

/**
 * Admins (by user id or role, per platform or "*") manage knowledge bases; everyone may read the
 * KBs visible where they are. A public KB is visible everywhere, a restricted one only in the
 * channels it is bound to.
 */
export class Permissions {
  constructor(
    private readonly config: RuntimeConfig,
    private readonly bindings: BindingStore,
  ) {}

  isAdmin(ctx: Pick<ChatContext, 'platform' | 'user' | 'roles'>): boolean {
    const ids = [...(this.config.admins[ctx.platform] ?? []), ...(this.config.admins['*'] ?? [])];
    if (ids.includes(ctx.user) || ids.includes('*')) return true;
    const roles = [...(this.config.adminRoles[ctx.platform] ?? []), ...(this.config.adminRoles['*'] ?? [])];
    return (ctx.roles ?? []).some((r) => roles.includes(r));
  }

  /** `doing` completes "Only knowledge-base admins can …". */
  requireAdmin(ctx: Pick<ChatContext, 'platform' | 'user' | 'roles'>, doing: string): void {
    if (this.isAdmin(ctx)) return;
    throw new TeamKbError(
      'PERMISSION_DENIED',
      `Only knowledge-base admins can ${doing}. Ask an admin, or have your user id (${ctx.user}) added to "admins" in configs/bot.yaml.`,
      { details: { platform: ctx.platform, user: ctx.user } },
    );
  }

  canSee(kb: KnowledgeBase, where: Where): boolean {
    return kb.visibility === 'public' || this.bindings.boundKb(channelKeyOf(where)) === kb.name;
  }

  requireVisible(kb: KnowledgeBase, where: Where): void {
    if (this.canSee(kb, where)) return;
    throw new TeamKbError(
      'PERMISSION_DENIED',
      `Knowledge base "${kb.name}" is restricted to the channels it is bound to, and this is not one of them.`,
      { details: { kb: kb.name, channel: where.channel } },
    );
  }
}
