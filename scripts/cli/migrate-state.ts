import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { copyState } from '../../adapters/registry/copy-state.js';
import { openPostgres, safeDatabaseUrl } from '../../adapters/registry/pg-db.js';
import { openSqlite } from '../../adapters/registry/sqlite-db.js';
import { registryPath } from '../../bots/core-services.js';
import { migrateAllState } from '../../bots/state/migrate-all.js';
import { loadConfig } from '../../core/config/load.js';
import { TeamKbError } from '../../core/errors.js';

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
      migrateAllState(from);
      migrateAllState(to);
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
