import { TeamKbError } from '../../core/errors.js';
import { kbNameKey } from '../../core/kb/name-lookalikes.js';
import { actorKey, hasScope, type Principal, principalKey } from '../../core/principal.js';
import type { KnowledgeBase } from '../../core/registry.js';
import { closest, editDistance } from '../commands/edit-distance.js';
import { isTempKbName } from '../commands/kb-name.js';
import type { RuntimeConfig } from '../runtime/config.js';
import type { ChannelKey } from '../state/binding-store.js';
import type { TempKbOwner } from '../state/temp-kb-store.js';

/**
 * see: listed and named. search: retrieved from (chat, search, citations). download: original
 * files. upload: files added, removed, reindexed. manage: created, deleted, bound elsewhere.
 */
export type Action = 'see' | 'search' | 'download' | 'upload' | 'manage';

export interface PolicyDeps {
  admins: Pick<RuntimeConfig, 'admins' | 'adminRoles'>;
  listKbs(): KnowledgeBase[];
  boundKb(channel: ChannelKey): string | undefined;
  tempOwner(kb: string): TempKbOwner | undefined;
}

/** The local browser is matched against admins as this identity (so `admins.web: ["*"]` covers it). */
const LOCAL_IDENTITY = { platform: 'web', workspace: 'local', user: 'local', roles: [] as string[] };

const sameChannel = (a: ChannelKey, b: ChannelKey) =>
  a.platform === b.platform && a.workspace === b.workspace && a.channel === b.channel;

/**
 * The one access policy. Every surface (chat runtime, REST, OpenAI-compatible API, web
 * conversations, downloads) asks it, so a KB is visible or hidden the same way everywhere:
 * - public: everyone may see, search, download; admins fill and manage it.
 * - restricted: admins, chat users in channels it is bound to, API keys that name it. In chat,
 *   even admins search it only where it is bound (the answer is posted to the channel).
 * - private: admins, its creator, API keys that name it.
 * - temporary (file chat): only the principal who shared the files and their conversation's channel;
 *   never listed, never manageable by name.
 * A KB a principal may not see does not exist for them: errors and lists never name it.
 */
export class AccessPolicy {
  constructor(private readonly deps: PolicyDeps) {}

  /** With no admins configured at all, the local browser is the admin (single-user `npm start`). */
  noAdminsConfigured(): boolean {
    const { admins, adminRoles } = this.deps.admins;
    return [...Object.values(admins), ...Object.values(adminRoles)].every((ids) => ids.length === 0);
  }

  isAdmin(p: Principal): boolean {
    if (p.kind === 'key') return p.scopes.includes('admin');
    if (p.kind === 'local' && this.noAdminsConfigured()) return true;
    const id = p.kind === 'user' ? p.identity : LOCAL_IDENTITY;
    const { admins, adminRoles } = this.deps.admins;
    const ids = [...(admins[id.platform] ?? []), ...(admins['*'] ?? [])];
    if (ids.includes(id.user) || ids.includes('*')) return true;
    const roles = [...(adminRoles[id.platform] ?? []), ...(adminRoles['*'] ?? [])];
    return id.roles.some((r) => roles.includes(r));
  }

  /** The single decision: may `p` do `action` to `kb`? */
  can(p: Principal, kb: KnowledgeBase, action: Action): boolean {
    // Files reach a temporary KB only through its conversation (file chat), never by name.
    if (isTempKbName(kb.name))
      return (action === 'see' || action === 'search' || action === 'download') && this.ownsTemp(p, kb.name);
    const reading = action === 'see' || action === 'search' || action === 'download';
    if (!hasScope(p, reading ? 'read' : action === 'upload' ? 'write' : 'admin')) return false;
    const admin = this.isAdmin(p);
    if (action === 'search' || action === 'download') {
      // In chat, answers land in the channel: only KBs that channel may use, admins included.
      if (p.kind === 'user' && p.via === 'chat') return this.usableIn(p.channel, p, kb);
      return admin || this.mayRead(p, kb);
    }
    if (admin) return true;
    if (!this.mayRead(p, kb)) return false;
    if (action === 'see') return true;
    if (p.kind === 'key') return action === 'upload';
    return kb.visibility === 'private' && kb.createdBy === actorKey(p);
  }

  private usableIn(channel: ChannelKey | undefined, p: Principal, kb: KnowledgeBase): boolean {
    if (kb.visibility === 'public') return true;
    if (kb.visibility === 'private') return kb.createdBy === actorKey(p);
    return channel !== undefined && this.deps.boundKb(channel) === kb.name;
  }

  private mayRead(p: Principal, kb: KnowledgeBase): boolean {
    if (p.kind === 'key' && p.kbs) return p.kbs.some((name) => kbNameKey(name) === kbNameKey(kb.name));
    if (kb.visibility === 'public') return true;
    if (p.kind !== 'user') return false;
    return this.usableIn(p.channel, p, kb);
  }

  private ownsTemp(p: Principal, kb: string): boolean {
    const owner = this.deps.tempOwner(kb);
    if (!owner) return false;
    if (owner.owner === principalKey(p)) return true;
    // Everyone in the chat channel where the files were shared saw them there already.
    return p.kind === 'user' && p.via === 'chat' && p.channel !== undefined && sameChannel(p.channel, owner.channel);
  }

  /** Named KBs `p` may see (admins: all; temporary ones are never listed). */
  visibleKbs(p: Principal): KnowledgeBase[] {
    return this.deps.listKbs().filter((kb) => !isTempKbName(kb.name) && this.can(p, kb, 'see'));
  }

  /** Named KBs `p` may search from where they are (a chat channel: those it may use). */
  usableKbs(p: Principal): KnowledgeBase[] {
    return this.deps.listKbs().filter((kb) => !isTempKbName(kb.name) && this.can(p, kb, 'search'));
  }

  /** The KB `p` means by `name` (exact, else ignoring case and width), among those `p` may see. */
  find(p: Principal, name: string): KnowledgeBase | undefined {
    const all = this.deps.listKbs();
    const kb = all.find((k) => k.name === name) ?? all.find((k) => kbNameKey(k.name) === kbNameKey(name));
    return kb && this.can(p, kb, 'see') ? kb : undefined;
  }

  /**
   * The KB for `action`, or a KB_NOT_FOUND that suggests only names `p` may see (an invisible KB
   * reads exactly like a missing one), or PERMISSION_DENIED for a visible KB `p` may not change.
   */
  require(p: Principal, name: string, action: Action, doing = ''): KnowledgeBase {
    const kb = this.find(p, name);
    if (!kb) throw this.notFound(p, name);
    if (!this.can(p, kb, action))
      throw this.denied(p, doing || `${action === 'upload' ? 'add files to' : 'manage'} "${kb.name}"`);
    return kb;
  }

  /** Creating KBs, binding restricted ones: admin rights. `doing` completes "Only … admins can …". */
  requireAdmin(p: Principal, doing: string): void {
    if (!this.isAdmin(p)) throw this.denied(p, doing);
  }

  notFound(p: Principal, name: string): TeamKbError {
    const names = this.visibleKbs(p).map((kb) => kb.name);
    const near = closest(name, names, (n) => [n]);
    const similar = near !== undefined && editDistance(name.toLowerCase(), near.toLowerCase()) <= Math.max(2, name.length / 3);
    const hint = similar ? ` Did you mean "${near}"?` : names.length ? '' : ' No knowledge bases exist yet.';
    return new TeamKbError('KB_NOT_FOUND', `No knowledge base named "${name}".${hint} \`/kb list\` shows them.`, {
      details: { kb: name },
    });
  }

  private denied(p: Principal, doing: string): TeamKbError {
    if (p.kind === 'key') {
      return new TeamKbError('PERMISSION_DENIED', `This API key (${p.name}) may not ${doing}: it lacks the scope.`, {
        details: { key: p.name, scopes: p.scopes },
      });
    }
    const who =
      p.kind === 'user'
        ? `have your user id (${p.identity.user}) added to "admins" in configs/bot.yaml`
        : 'sign in with `/kb web` in chat, or use an admin API key';
    return new TeamKbError('PERMISSION_DENIED', `Only knowledge-base admins can ${doing}. Ask an admin, or ${who}.`, {
      details: p.kind === 'user' ? { platform: p.identity.platform, user: p.identity.user } : {},
    });
  }
}

/**
 * The policy as one call, for routes outside this module (passage view, inline downloads):
 * `canAccess(policy, principal, kb, 'download')`.
 */
export function canAccess(policy: AccessPolicy, principal: Principal, kb: KnowledgeBase, action: Action): boolean {
  return policy.can(principal, kb, action);
}
