import { type MessagePort, workerData } from 'node:worker_threads';
import pg from 'pg';
import type { PgAnswer, PgRequest, PgWorkerSetup } from './pg-protocol.js';

/**
 * The PostgreSQL connection thread: one client, one statement at a time, each answer posted back
 * and the waiting main thread woken through the shared signal slot.
 */
const { setup, port } = workerData as { setup: PgWorkerSetup; port: MessagePort };
const signal = new Int32Array(setup.signal);

// BIGINT (epoch milliseconds, counts) as numbers: every value we keep fits in 2^53.
pg.types.setTypeParser(20, (v) => Number(v));

const client = new pg.Client({ connectionString: setup.url, statement_timeout: setup.statementTimeoutMs });
const connected = client.connect();
// A dropped connection is reported with the next statement, not as an uncaught error.
let broken: Error | undefined;
client.on('error', (err) => {
  broken = err;
});

function answer(message: PgAnswer): void {
  port.postMessage(message);
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
}

async function serve(request: PgRequest): Promise<void> {
  try {
    await connected;
    if (broken) throw broken;
    if (request.type === 'close') {
      await client.end();
      answer({ id: request.id, ok: true, rows: [], rowCount: 0 });
      port.close();
      return;
    }
    const result = request.type === 'exec' ? await client.query(request.sql) : await client.query(request.sql, request.params);
    // A multi-statement exec answers with one result per statement: only the last one matters.
    const last = Array.isArray(result) ? result[result.length - 1] : result;
    answer({ id: request.id, ok: true, rows: last?.rows ?? [], rowCount: last?.rowCount ?? 0 });
  } catch (err) {
    const e = err as Error & { code?: string };
    answer({ id: request.id, ok: false, message: e.message, code: e.code });
  }
}

// Strictly one statement at a time, in arrival order (the main thread waits for each anyway).
let queue = Promise.resolve();
port.on('message', (request: PgRequest) => {
  queue = queue.then(() => serve(request));
});
