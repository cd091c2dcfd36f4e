/**
 * Who a request acts as. Every surface (chat platforms, web console, REST, OpenAI-compatible API)
 * turns its caller into one of these before asking the access policy anything.
 */

/** What an API key may do: read (see, search, download, chat), write (fill KBs), admin (everything). */
export type Scope = 'read' | 'write' | 'admin';
export const SCOPES: readonly Scope[] = ['read', 'write', 'admin'];

/** A person as their chat platform knows them; a web session carries the same identity. */
export interface Identity {
  platform: string;
  /** Slack team, Discord guild, Feishu tenant; "dm" or "local" where there is none. */
  workspace: string;
  user: string;
  /** Platform roles or groups at the time the identity was established (admin roles). */
  roles: string[];
  /** Shown to the person (web console header); never used for decisions. */
  displayName?: string;
}

export type Principal =
  /** A chat user in a channel or DM, a signed-in web user, or a user named by a trusted proxy. */
  | {
      kind: 'user';
      identity: Identity;
      via: 'chat' | 'session' | 'proxy';
      /** Where a chat message was written: restricted KBs bound there are visible. */
      channel?: { platform: string; workspace: string; channel: string };
    }
  /** A named API key (TEAMKB_API_KEY is the key named "TEAMKB_API_KEY" with every scope). */
  | { kind: 'key'; name: string; scopes: Scope[]; kbs?: string[] }
  /** A browser on this machine with no sign-in, allowed only while no API key is configured. */
  | { kind: 'local' };

/**
 * A stable string for "the same principal": owner of temporary KBs, web conversation namespace.
 * Users are keyed by platform, workspace and id so two workspaces never share an owner.
 */
export function principalKey(p: Principal): string {
  if (p.kind === 'user') return `${p.identity.platform}:${p.identity.workspace}:${p.identity.user}`;
  if (p.kind === 'key') return `key:${p.name}`;
  return 'local';
}

/** `<platform>:<user id>` as recorded in `createdBy` (private KB owners, binders). */
export function actorKey(p: Principal): string {
  if (p.kind === 'user') return `${p.identity.platform}:${p.identity.user}`;
  if (p.kind === 'key') return `key:${p.name}`;
  return 'web:local';
}

export function hasScope(p: Principal, scope: Scope): boolean {
  if (p.kind !== 'key') return true;
  if (p.scopes.includes('admin')) return true;
  if (scope === 'read') return p.scopes.length > 0;
  return p.scopes.includes(scope);
}
