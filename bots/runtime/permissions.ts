import type { ChatContext } from '../../core/chat.js';
import type { KnowledgeBase } from '../../core/registry.js';
import type { AccessPolicy } from '../access/policy.js';
import { principalOfContext } from '../access/principal-of.js';

type Who = Pick<ChatContext, 'platform' | 'workspace' | 'channel' | 'principal'> & Partial<Pick<ChatContext, 'user' | 'roles'>>;

/** The access policy seen from a chat event: the event's principal is worked out here, once. */
export class Permissions {
  constructor(readonly policy: AccessPolicy) {}

  isAdmin(ctx: Who): boolean {
    return this.policy.isAdmin(principalOfContext(ctx));
  }

  /** `doing` completes "Only knowledge-base admins can …". */
  requireAdmin(ctx: Who, doing: string): void {
    this.policy.requireAdmin(principalOfContext(ctx), doing);
  }

  /** May this event's principal ask this KB from where it is? */
  canSee(kb: KnowledgeBase, where: Who): boolean {
    return this.policy.can(principalOfContext(where), kb, 'search');
  }

  /** KBs usable from where the event happened (chat channel, web conversation). */
  usableKbs(where: Who): KnowledgeBase[] {
    return this.policy.usableKbs(principalOfContext(where));
  }
}
