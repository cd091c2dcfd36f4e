import { openPostgres } from './pg-db.js';
import type { SqlDb } from './sql-db.js';
import { openSqlite } from './sqlite-db.js';

/** The state database: PostgreSQL when an address is configured, else the SQLite file. */
export function openStateDb(options: { databaseUrl?: string; sqlitePath: string }): SqlDb {
  return options.databaseUrl ? openPostgres(options.databaseUrl) : openSqlite(options.sqlitePath);
}

/** The password inside a database address, to be cut out of every log line. */
export function databasePassword(url: string | undefined): string[] {
  if (!url) return [];
  try {
    const password = decodeURIComponent(new URL(url).password);
    return password ? [password] : [];
  } catch {
    return [];
  }
}
