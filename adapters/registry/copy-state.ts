import { TeamKbError } from '../../core/errors.js';
import type { SqlDb } from './sql-db.js';

/** Every state table, parents before children. */
export const STATE_TABLES = [
  'knowledge_bases',
  'files',
  'jobs',
  'runtime_conversations',
  'runtime_turns',
  'runtime_feedback',
  'runtime_bindings',
  'runtime_temp_kbs',
  'runtime_confirmations',
  'runtime_seen_events',
  'runtime_rate_hits',
  'access_api_keys',
  'access_sessions',
  'access_signin_links',
  'web_conversations',
  'web_turns',
  'web_feedback',
] as const;

/** PostgreSQL identity columns whose sequences must continue after the copied rows. */
const IDENTITIES: Array<[table: string, column: string]> = [
  ['runtime_conversations', 'id'],
  ['runtime_turns', 'id'],
  ['runtime_temp_kbs', 'rowid'],
  ['web_turns', 'seq'],
];

const BATCH_PARAMS = 20_000;

export interface CopiedTable {
  table: string;
  rows: number;
}

const count = (db: SqlDb, table: string) => db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`)?.n ?? 0;

/**
 * Copies all state from an embedded SQLite database into an empty PostgreSQL one (both already
 * migrated to the same versions), in one transaction, then checks that every table holds as many
 * rows on both sides. A target with any state is refused: nothing is merged or overwritten.
 */
export function copyState(from: SqlDb, to: SqlDb): CopiedTable[] {
  const busy = STATE_TABLES.filter((table) => count(to, table) > 0);
  if (busy.length > 0) {
    throw new TeamKbError(
      'INVALID_INPUT',
      `The target database already holds state (${busy.join(', ')}); copy into an empty database only.`,
    );
  }
  to.transaction(() => {
    for (const table of STATE_TABLES) {
      // rowid order is insertion order: temporary KBs keep their oldest-first order.
      const rows = from.all<Record<string, unknown>>(`SELECT * FROM ${table} ORDER BY rowid`);
      const columns = Object.keys(rows[0] ?? {});
      const perBatch = Math.max(1, Math.floor(BATCH_PARAMS / Math.max(1, columns.length)));
      for (let i = 0; i < rows.length; i += perBatch) {
        const batch = rows.slice(i, i + perBatch);
        const tuple = `(${columns.map(() => '?').join(', ')})`;
        to.run(
          `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${batch.map(() => tuple).join(', ')}`,
          ...batch.flatMap((row) => columns.map((c) => row[c])),
        );
      }
    }
    if (to.dialect === 'postgres') {
      for (const [table, column] of IDENTITIES) {
        to.get(
          `SELECT setval(pg_get_serial_sequence('${table}', '${column}'), COALESCE(MAX(${column}), 0) + 1, false) FROM ${table}`,
        );
      }
    }
  });
  const copied = STATE_TABLES.map((table) => ({ table, rows: count(from, table), target: count(to, table) }));
  const off = copied.filter((c) => c.rows !== c.target);
  if (off.length > 0) {
    throw new TeamKbError(
      'INTERNAL',
      `Row counts differ after the copy: ${off.map((c) => `${c.table} ${c.rows} → ${c.target}`).join(', ')}.`,
    );
  }
  return copied.map(({ table, rows }) => ({ table, rows }));
}
