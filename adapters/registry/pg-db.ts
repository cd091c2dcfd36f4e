import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { TeamKbError } from '../../core/errors.js';
import { startWorkerModule } from '../../core/worker-module.js';
import type { PgAnswer, PgRequest } from './pg-protocol.js';
import { MIGRATION_LOCK, SCHEMA_MIGRATIONS_TABLE, type SqlDb } from './sql-db.js';

export interface PgOptions {
  /** Longest one statement may take, in milliseconds (server-side limit; the wait gives up a little later). */
  statementTimeoutMs?: number;
  /** Longest the first connection may take. */
  connectTimeoutMs?: number;
}

/** A request before it gets its id. */
type PgCall = PgRequest extends infer R ? (R extends PgRequest ? Omit<R, 'id'> : never) : never;

/** `?` placeholders (outside quoted text) as PostgreSQL's `$1, $2, …`. */
export function numberedPlaceholders(sql: string): string {
  let n = 0;
  let out = '';
  let quote: string | null = null;
  for (const ch of sql) {
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '?') {
      out += `$${++n}`;
      continue;
    }
    out += ch;
  }
  return out;
}

/** The address without its password, for messages. */
export const safeDatabaseUrl = (url: string): string => url.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@');

/**
 * PostgreSQL behind the synchronous state handle. One connection per process lives in a worker
 * thread; each call posts the statement and blocks this thread until the answer is back, which
 * costs one round trip to the server, as a better-sqlite3 call costs one disk read. Statements are
 * short key lookups and writes, so replicas keep answering while the database serves them all.
 */
export function openPostgres(url: string, options: PgOptions = {}): SqlDb {
  const statementTimeoutMs = options.statementTimeoutMs ?? 15_000;
  const signal = new SharedArrayBuffer(4);
  const counter = new Int32Array(signal);
  const { port1, port2 } = new MessageChannel();
  const worker = startWorkerModule(
    {
      base: import.meta.url,
      compiled: ['./pg-worker-entry.js', './pg-worker.js', '../pg-worker.js'],
      source: './pg-worker-entry.ts',
      entry: 'pg-worker',
    },
    { workerData: { setup: { url, signal, statementTimeoutMs }, port: port2 }, transferList: [port2] },
  );
  // The connection must not keep a finished process alive (the owner closes it on a clean stop).
  worker.unref();
  port1.unref();
  let failed: Error | undefined;
  worker.on('error', (err) => {
    failed = err;
  });
  let nextId = 1;
  let closed = false;

  function call(request: PgCall, timeoutMs: number): PgAnswer & { ok: true } {
    if (closed) throw new TeamKbError('STATE_DB_FAILED', 'The PostgreSQL state database is closed.');
    const id = nextId++;
    port1.postMessage({ ...request, id });
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      // Read the slot before looking, so an answer landing in between cuts the wait short.
      const before = Atomics.load(counter, 0);
      const got = receiveMessageOnPort(port1);
      if (got) {
        const answer = got.message as PgAnswer;
        if (answer.id !== id) continue; // the late answer of a statement given up on
        if (!answer.ok) {
          throw new TeamKbError('STATE_DB_FAILED', `PostgreSQL (${safeDatabaseUrl(url)}): ${answer.message}`, {
            details: { sqlState: answer.code, reason: answer.message },
          });
        }
        return answer;
      }
      if (failed) throw new TeamKbError('STATE_DB_FAILED', `PostgreSQL connection thread stopped: ${failed.message}`);
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new TeamKbError('STATE_DB_FAILED', `PostgreSQL (${safeDatabaseUrl(url)}) did not answer within ${timeoutMs} ms.`);
      }
      Atomics.wait(counter, 0, before, Math.min(left, 1000));
    }
  }

  const waitMs = statementTimeoutMs + 5_000;
  let depth = 0;
  const db: SqlDb = {
    dialect: 'postgres',
    run: (sql, ...params) => ({
      changes: call({ type: 'query', sql: numberedPlaceholders(sql), params }, waitMs).rowCount,
    }),
    get: <T>(sql: string, ...params: unknown[]) =>
      call({ type: 'query', sql: numberedPlaceholders(sql), params }, waitMs).rows[0] as T | undefined,
    all: <T>(sql: string, ...params: unknown[]) =>
      call({ type: 'query', sql: numberedPlaceholders(sql), params }, waitMs).rows as T[],
    exec: (sql) => {
      call({ type: 'exec', sql }, waitMs);
    },
    transaction<T>(fn: () => T): T {
      const savepoint = `sp${depth}`;
      db.exec(depth === 0 ? 'BEGIN' : `SAVEPOINT ${savepoint}`);
      depth++;
      try {
        const result = fn();
        depth--;
        db.exec(depth === 0 ? 'COMMIT' : `RELEASE SAVEPOINT ${savepoint}`);
        return result;
      } catch (err) {
        depth--;
        db.exec(depth === 0 ? 'ROLLBACK' : `ROLLBACK TO SAVEPOINT ${savepoint}`);
        throw err;
      }
    },
    close() {
      if (closed) return;
      try {
        call({ type: 'close' }, 5_000);
      } catch {
        // closing anyway
      }
      closed = true;
      port1.close();
      void worker.terminate();
    },
  };

  try {
    call({ type: 'exec', sql: 'SELECT 1' }, options.connectTimeoutMs ?? 15_000);
    db.transaction(() => {
      db.get('SELECT pg_advisory_xact_lock(?)', MIGRATION_LOCK);
      db.exec(SCHEMA_MIGRATIONS_TABLE);
    });
  } catch (err) {
    db.close();
    const reason = (err as TeamKbError).details?.reason ?? (err as Error).message;
    throw new TeamKbError(
      'STATE_DB_FAILED',
      `Cannot use the PostgreSQL state database at ${safeDatabaseUrl(url)} (TEAMKB_DATABASE_URL): ${reason}`,
      { cause: err },
    );
  }
  return db;
}
