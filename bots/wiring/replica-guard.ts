import type { SqlDb } from '../../adapters/registry/sql-db.js';
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
    'Another TeamKB server already runs on this database (TEAMKB_DATABASE_URL) with the embedded vector store, ' +
      'which allows a single writer. Run one server with TEAMKB_STORE=embedded, or set TEAMKB_STORE=milvus to run several replicas.',
  );
}
