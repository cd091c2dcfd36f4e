import type { SqlDb } from '../../adapters/registry/sql-db.js';
import type { KnowledgeBase } from '../../core/registry.js';
import type { RuntimeConfig } from '../runtime/config.js';
import { BindingStore } from '../state/binding-store.js';
import { migrateRuntime } from '../state/migrations.js';
import { TempKbStore } from '../state/temp-kb-store.js';
import { ApiKeyStore } from './api-keys.js';
import { migrateAccess } from './migrations.js';
import { AccessPolicy } from './policy.js';
import { SessionStore, SignInLinks } from './sessions.js';

export { AccessPolicy, type Action, canAccess } from './policy.js';
export { principalOfContext } from './principal-of.js';

export interface AccessSettings {
  sessionTtlHours: number;
  sessionRotateMinutes: number;
  signInLinkMinutes: number;
}

export const DEFAULT_ACCESS_SETTINGS: AccessSettings = { sessionTtlHours: 168, sessionRotateMinutes: 15, signInLinkMinutes: 10 };

/** Everything that decides who is who and who may do what; shared by the chat runtime and the HTTP server. */
export interface Access {
  policy: AccessPolicy;
  keys: ApiKeyStore;
  sessions: SessionStore;
  links: SignInLinks;
}

export interface AccessDeps {
  db: SqlDb;
  admins: Pick<RuntimeConfig, 'admins' | 'adminRoles'>;
  listKbs(): KnowledgeBase[];
  settings?: AccessSettings;
  now?: () => number;
}

export function createAccess(deps: AccessDeps): Access {
  migrateRuntime(deps.db);
  migrateAccess(deps.db);
  const now = deps.now ?? Date.now;
  const settings = deps.settings ?? DEFAULT_ACCESS_SETTINGS;
  const bindings = new BindingStore(deps.db);
  const temp = new TempKbStore(deps.db);
  return {
    policy: new AccessPolicy({
      admins: deps.admins,
      listKbs: deps.listKbs,
      boundKb: (channel) => bindings.boundKb(channel),
      tempOwner: (kb) => temp.ownerOf(kb),
    }),
    keys: new ApiKeyStore(deps.db, now),
    sessions: new SessionStore(
      deps.db,
      { ttlMs: settings.sessionTtlHours * 3_600_000, rotateMs: settings.sessionRotateMinutes * 60_000 },
      now,
    ),
    links: new SignInLinks(deps.db, settings.signInLinkMinutes * 60_000, now),
  };
}
