import type { SqlDb } from '../../adapters/registry/sql-db.js';
import { createSqlRegistry } from '../../adapters/registry/sql-registry.js';
import { migrateAccess } from '../access/migrations.js';
import { migrateRuntime } from './migrations.js';
import { migrateWeb } from './web-conversation-store.js';

/** Brings every state table (registry, chat runtime, access, web console) to the current schema on its engine. */
export function migrateAllState(db: SqlDb): SqlDb {
  createSqlRegistry(db);
  migrateRuntime(db);
  migrateAccess(db);
  migrateWeb(db);
  return db;
}
