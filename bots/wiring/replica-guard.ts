import type { SqlDb } from '../../adapters/registry/sql-db.js';
import type { TeamKbConfig } from '../../core/config/schema.js';
import { TeamKbError } from '../../core/errors.js';

/** Advisory lock name the one server writing an embedded store holds for as long as it runs. */
export const EMBEDDED_WRITER_LOCK = 'teamkb:embedded-store-writer';

/**
 * Several servers on one PostgreSQL are replicas. The embedded vector store (LanceDB files in the
 * data folder) takes one writer only, so a second server using it on the same database is refused
 * at start-up; Milvus takes any number. The lock belongs to the server's database connection and
 * goes with it, also when the process dies.
 */
export function claimEmbeddedStoreWriter(db: SqlDb, storeId: string): void {
  if (db.dialect !== 'postgres' || storeId !== 'embedded') return;
  const got = db.get<{ got: boolean }>('SELECT pg_try_advisory_lock(hashtext(?)) AS got', EMBEDDED_WRITER_LOCK);
  if (got?.got) return;
  throw new TeamKbError(
    'CONFIG_INVALID',
    'Another TeamKB server or worker already writes the embedded vector store on this database (TEAMKB_DATABASE_URL), ' +
      'which allows a single writer. Run one server (TEAMKB_ROLE=all) or one worker (TEAMKB_ROLE=worker) with ' +
      'TEAMKB_STORE=embedded, any number of TEAMKB_ROLE=web replicas beside it, or set TEAMKB_STORE=milvus to run several writers.',
  );
}

/**
 * Splitting chat replicas from ingestion workers needs state and a queue they share: web and worker
 * roles are refused without PostgreSQL, naming the settings to change.
 */
export function checkRole(config: TeamKbConfig): void {
  const { role, databaseUrl } = config.basic;
  if (role === 'all' || databaseUrl) return;
  throw new TeamKbError(
    'CONFIG_INVALID',
    `TEAMKB_ROLE=${role} needs TEAMKB_DATABASE_URL (PostgreSQL): web replicas and ingestion workers share state ` +
      'and the ingest queue there. Set TEAMKB_DATABASE_URL=postgres://…, or TEAMKB_ROLE=all for a single server on SQLite.',
  );
}

/** Which processes write vectors: servers running everything, and ingestion workers. */
export const writesVectors = (config: TeamKbConfig): boolean => config.basic.role !== 'web';
