/**
 * The one handle every state table goes through, on SQLite (embedded default) or PostgreSQL (several
 * replicas). Statements are written once with `?` placeholders in the SQL both engines share;
 * migrations may give PostgreSQL its own text where the dialects differ (identity columns, BIGINT).
 *
 * Calls are synchronous on both engines: better-sqlite3 is synchronous by nature, and the
 * PostgreSQL handle waits for its connection thread (see pg-db.ts), so the ports above stay as they are.
 */
export type SqlDialect = 'sqlite' | 'postgres';

export interface SqlDb {
  readonly dialect: SqlDialect;
  /** INSERT/UPDATE/DELETE; `changes` counts the rows written. */
  run(sql: string, ...params: unknown[]): { changes: number };
  get<T = Record<string, unknown>>(sql: string, ...params: unknown[]): T | undefined;
  all<T = Record<string, unknown>>(sql: string, ...params: unknown[]): T[];
  /** Several statements without parameters (schema changes). */
  exec(sql: string): void;
  /** Runs `fn` in one transaction (nested calls become savepoints); a throw rolls it back. */
  transaction<T>(fn: () => T): T;
  close(): void;
}

/** One versioned schema step. Versions are per module and applied in order, once. */
export interface Migration {
  version: number;
  /** The step for both engines, or for SQLite alone when `postgres` is given. */
  sql: string;
  postgres?: string;
}

/** Applies the module's migrations newer than what the database has, each in its own transaction. */
export function migrate(db: SqlDb, module: string, migrations: Migration[]): void {
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  for (const m of sorted) {
    db.transaction(() => {
      // Replicas starting together: the first one migrates, the others wait here and then see it done.
      if (db.dialect === 'postgres') db.get('SELECT pg_advisory_xact_lock(?)', MIGRATION_LOCK);
      const row = db.get<{ v: number | null }>('SELECT MAX(version) AS v FROM schema_migrations WHERE module = ?', module);
      if ((row?.v ?? 0) >= m.version) return;
      db.exec(db.dialect === 'postgres' ? (m.postgres ?? m.sql) : m.sql);
      db.run(
        'INSERT INTO schema_migrations (module, version, applied_at) VALUES (?, ?, ?)',
        module,
        m.version,
        new Date().toISOString(),
      );
    });
  }
}

/** Advisory lock key held while PostgreSQL schema changes run (any constant shared by all replicas). */
export const MIGRATION_LOCK = 7_461_230_001;

export const SCHEMA_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
    module TEXT NOT NULL, version INTEGER NOT NULL, applied_at TEXT NOT NULL,
    PRIMARY KEY (module, version))`;

/**
 * Runs `work` unless another process on the same PostgreSQL is running work of the same name right
 * now (then resolves to undefined at once): periodic chores such as expiring temporary KBs run
 * once across replicas instead of once per replica. On SQLite, with its one process, it just runs.
 */
export async function exclusively<T>(db: SqlDb, name: string, work: () => Promise<T>): Promise<T | undefined> {
  if (db.dialect !== 'postgres') return work();
  const got = db.get<{ got: boolean }>('SELECT pg_try_advisory_lock(hashtext(?)) AS got', name);
  if (!got?.got) return undefined;
  try {
    return await work();
  } finally {
    db.get('SELECT pg_advisory_unlock(hashtext(?))', name);
  }
}
