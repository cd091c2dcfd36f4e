import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export type SqliteDb = Database.Database;

/** One versioned schema step. Versions are per module and applied in order, once. */
export interface Migration {
  version: number;
  sql: string;
}

/** Opens (creating) the SQLite file with WAL and sane defaults for a single writer process. */
export function openSqlite(path: string): SqliteDb {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    module TEXT NOT NULL, version INTEGER NOT NULL, applied_at TEXT NOT NULL,
    PRIMARY KEY (module, version))`);
  return db;
}

/** Applies the module's migrations newer than what the database has, each in a transaction. */
export function migrate(db: SqliteDb, module: string, migrations: Migration[]): void {
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_migrations WHERE module = ?').get(module) as {
    v: number | null;
  };
  const current = row.v ?? 0;
  const pending = [...migrations].sort((a, b) => a.version - b.version).filter((m) => m.version > current);
  for (const m of pending) {
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (module, version, applied_at) VALUES (?, ?, ?)').run(
        module,
        m.version,
        new Date().toISOString(),
      );
    })();
  }
}
