import { type Migration, migrate, type SqliteDb } from '../../adapters/registry/sqlite-db.js';

/** Module name of the runtime's tables in the shared SQLite file. */
export const RUNTIME_MODULE = 'runtime';

/** Times are epoch milliseconds from the runtime's clock. */
const MIGRATIONS: Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE runtime_seen_events (
        platform TEXT NOT NULL, event_id TEXT NOT NULL, seen_at INTEGER NOT NULL,
        PRIMARY KEY (platform, event_id));
      CREATE INDEX runtime_seen_events_seen_at ON runtime_seen_events (seen_at);

      CREATE TABLE runtime_conversations (
        id INTEGER PRIMARY KEY,
        platform TEXT NOT NULL, workspace TEXT NOT NULL, channel TEXT NOT NULL, thread TEXT NOT NULL,
        model TEXT, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
        UNIQUE (platform, workspace, channel, thread));

      CREATE TABLE runtime_turns (
        id INTEGER PRIMARY KEY,
        conversation_id INTEGER NOT NULL REFERENCES runtime_conversations (id) ON DELETE CASCADE,
        user_id TEXT NOT NULL, question TEXT NOT NULL, answer TEXT NOT NULL,
        citations TEXT NOT NULL, sources TEXT NOT NULL, mode TEXT NOT NULL,
        answer_id TEXT NOT NULL UNIQUE, created_at INTEGER NOT NULL);
      CREATE INDEX runtime_turns_conversation ON runtime_turns (conversation_id, id);

      CREATE TABLE runtime_feedback (
        answer_id TEXT NOT NULL, platform TEXT NOT NULL, user_id TEXT NOT NULL,
        vote TEXT NOT NULL CHECK (vote IN ('up', 'down')), created_at INTEGER NOT NULL,
        PRIMARY KEY (answer_id, platform, user_id));

      CREATE TABLE runtime_bindings (
        platform TEXT NOT NULL, workspace TEXT NOT NULL, channel TEXT NOT NULL,
        kb TEXT NOT NULL, bound_by TEXT NOT NULL, created_at INTEGER NOT NULL,
        PRIMARY KEY (platform, workspace, channel));
      CREATE INDEX runtime_bindings_kb ON runtime_bindings (kb);

      CREATE TABLE runtime_temp_kbs (
        kb TEXT PRIMARY KEY,
        conversation_id INTEGER NOT NULL REFERENCES runtime_conversations (id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL);
      CREATE INDEX runtime_temp_kbs_conversation ON runtime_temp_kbs (conversation_id);

      CREATE TABLE runtime_confirmations (
        token TEXT PRIMARY KEY, action TEXT NOT NULL, kb TEXT NOT NULL,
        platform TEXT NOT NULL, user_id TEXT NOT NULL, expires_at INTEGER NOT NULL);
    `,
  },
  {
    // Who shared the files of a temporary KB, and where: the access policy's owner check.
    version: 2,
    sql: `
      ALTER TABLE runtime_temp_kbs ADD COLUMN owner TEXT;
      ALTER TABLE runtime_temp_kbs ADD COLUMN owner_channel TEXT;
    `,
  },
];

export function migrateRuntime(db: SqliteDb): void {
  migrate(db, RUNTIME_MODULE, MIGRATIONS);
}
