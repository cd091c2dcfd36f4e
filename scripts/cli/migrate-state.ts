import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { copyState } from '../../adapters/registry/copy-state.js';
import { openPostgres, safeDatabaseUrl } from '../../adapters/registry/pg-db.js';
import type { SqlDb } from '../../adapters/registry/sql-db.js';
import { createSqlRegistry } from '../../adapters/registry/sql-registry.js';
import { openSqlite } from '../../adapters/registry/sqlite-db.js';
import { migrateAccess } from '../../bots/access/migrations.js';
import { registryPath } from '../../bots/core-services.js';
import { migrateRuntime } from '../../bots/state/migrations.js';
import { migrateWeb } from '../../bots/state/web-conversation-store.js';
import { loadConfig } from '../../core/config/load.js';
import { TeamKbError } from '../../core/errors.js';

/** Brings a state database to the current schema on its engine. */
function migrateAll(db: SqlDb): void {
  createSqlRegistry(db);
  migrateRuntime(db);
  migrateAccess(db);
  migrateWeb(db);
}

/**
 * `kb migrate-state`: copies the embedded state (teamkb.sqlite in the data folder) into the empty
 * PostgreSQL at TEAMKB_DATABASE_URL, with row counts verified per table. Vectors and source files
 * stay where they are (see `kb migrate --to milvus` for vectors).
 */
export function migrateStateToPostgres(): void {
  const { basic } = loadConfig();
  if (!basic.databaseUrl) {
    throw new TeamKbError('INVALID_INPUT', 'Set TEAMKB_DATABASE_URL to the PostgreSQL database to copy the state into.');
  }
  const path = registryPath(resolve(basic.dataDir));
  if (!existsSync(path)) throw new TeamKbError('FILE_NOT_FOUND', `No embedded state to copy: ${path} does not exist.`);
  const from = openSqlite(path);
  try {
    const to = openPostgres(basic.databaseUrl);
    try {
      migrateAll(from);
      migrateAll(to);
      const copied = copyState(from, to);
      for (const { table, rows } of copied) console.log(`  ${table.padEnd(24)} ${rows}`);
      console.log(`Copied ${path} to ${safeDatabaseUrl(basic.databaseUrl)}; row counts match.`);
    } finally {
      to.close();
    }
  } finally {
    from.close();
  }
}
