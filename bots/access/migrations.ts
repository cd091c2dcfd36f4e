import { type Migration, migrate, type SqlDb } from '../../adapters/registry/sqlite-db.js';

/**
 * Credentials are stored only as SHA-256 digests of random tokens: a copy of the database opens
 * no session and reveals no API key. Times are epoch milliseconds.
 */
const MIGRATIONS: Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE access_api_keys (
        name TEXT PRIMARY KEY, digest TEXT NOT NULL UNIQUE, scopes TEXT NOT NULL, kbs TEXT,
        created_at INTEGER NOT NULL, last_used_at INTEGER, revoked_at INTEGER);

      CREATE TABLE access_sessions (
        digest TEXT PRIMARY KEY, identity TEXT NOT NULL, identity_key TEXT NOT NULL,
        created_at INTEGER NOT NULL, rotated_at INTEGER NOT NULL, expires_at INTEGER NOT NULL);
      CREATE INDEX access_sessions_identity ON access_sessions (identity_key);

      CREATE TABLE access_signin_links (
        digest TEXT PRIMARY KEY, identity TEXT NOT NULL, expires_at INTEGER NOT NULL);
    `,
    postgres: `
      CREATE TABLE access_api_keys (
        name TEXT COLLATE "C" PRIMARY KEY, digest TEXT NOT NULL UNIQUE, scopes TEXT NOT NULL, kbs TEXT,
        created_at BIGINT NOT NULL, last_used_at BIGINT, revoked_at BIGINT);

      CREATE TABLE access_sessions (
        digest TEXT PRIMARY KEY, identity TEXT NOT NULL, identity_key TEXT NOT NULL,
        created_at BIGINT NOT NULL, rotated_at BIGINT NOT NULL, expires_at BIGINT NOT NULL);
      CREATE INDEX access_sessions_identity ON access_sessions (identity_key);

      CREATE TABLE access_signin_links (
        digest TEXT PRIMARY KEY, identity TEXT NOT NULL, expires_at BIGINT NOT NULL);
    `,
  },
];

export function migrateAccess(db: SqlDb): void {
  migrate(db, 'access', MIGRATIONS);
}
