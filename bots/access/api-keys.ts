import type { SqlDb } from '../../adapters/registry/sql-db.js';
import { TeamKbError } from '../../core/errors.js';
import type { Principal, Scope } from '../../core/principal.js';
import { SCOPES } from '../../core/principal.js';
import { digestOf, newToken } from './tokens.js';

export interface ApiKeyInfo {
  name: string;
  scopes: Scope[];
  /** Knowledge bases the key may read beyond public ones; undefined: public only (all with admin). */
  kbs?: string[];
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

interface Row {
  name: string;
  scopes: string;
  kbs: string | null;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

const KEY_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
/** Every named key starts so, which tells a wrong TeamKB key from some other service's key. */
export const API_KEY_PREFIX = 'tkb_';

const info = (r: Row): ApiKeyInfo => ({
  name: r.name,
  scopes: JSON.parse(r.scopes) as Scope[],
  kbs: r.kbs ? (JSON.parse(r.kbs) as string[]) : undefined,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
});

/** Named, scoped API keys, kept as digests; the key itself is shown once, at creation. */
export class ApiKeyStore {
  constructor(
    private readonly db: SqlDb,
    private readonly now: () => number = Date.now,
  ) {}

  create(name: string, scopes: Scope[], kbs?: string[]): { key: string; info: ApiKeyInfo } {
    if (!KEY_NAME.test(name)) {
      throw new TeamKbError('INVALID_INPUT', `API key name "${name}": use 1–64 letters, digits, "_", "." or "-".`);
    }
    const bad = scopes.filter((s) => !SCOPES.includes(s));
    if (bad.length || scopes.length === 0) {
      throw new TeamKbError('INVALID_INPUT', `Scopes must be some of ${SCOPES.join(', ')} (got "${scopes.join(',')}").`);
    }
    if (this.db.get('SELECT 1 FROM access_api_keys WHERE name = ?', name)) {
      throw new TeamKbError('INVALID_INPUT', `An API key named "${name}" exists already; revoke it first or pick another name.`);
    }
    const key = newToken(API_KEY_PREFIX);
    this.db.run(
      'INSERT INTO access_api_keys (name, digest, scopes, kbs, created_at) VALUES (?, ?, ?, ?, ?)',
      name,
      digestOf(key),
      JSON.stringify(scopes),
      kbs?.length ? JSON.stringify(kbs) : null,
      this.now(),
    );
    return { key, info: this.get(name) as ApiKeyInfo };
  }

  get(name: string): ApiKeyInfo | undefined {
    const row = this.db.get('SELECT * FROM access_api_keys WHERE name = ?', name) as Row | undefined;
    return row && info(row);
  }

  list(): ApiKeyInfo[] {
    return (this.db.all('SELECT * FROM access_api_keys ORDER BY created_at, name') as Row[]).map(info);
  }

  /** Revoked keys stay listed (when, by name) but authenticate nothing. */
  revoke(name: string): boolean {
    return (
      this.db.run('UPDATE access_api_keys SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL', this.now(), name).changes > 0
    );
  }

  /** The principal a presented key stands for, or undefined for an unknown or revoked key. */
  authenticate(key: string): Principal | undefined {
    if (!key.startsWith(API_KEY_PREFIX)) return undefined;
    const digest = digestOf(key);
    const row = this.db.get('SELECT * FROM access_api_keys WHERE digest = ? AND revoked_at IS NULL', digest) as Row | undefined;
    if (!row) return undefined;
    this.db.run('UPDATE access_api_keys SET last_used_at = ? WHERE digest = ?', this.now(), digest);
    const k = info(row);
    return { kind: 'key', name: k.name, scopes: k.scopes, ...(k.kbs ? { kbs: k.kbs } : {}) };
  }
}
