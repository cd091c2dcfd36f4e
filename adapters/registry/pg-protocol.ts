/** Messages between the PostgreSQL handle (main thread) and its connection thread. */

export interface PgWorkerSetup {
  url: string;
  /** Int32 slot the worker bumps after each answer, so the waiting thread wakes. */
  signal: SharedArrayBuffer;
  /** Longest a statement may run on the server, in milliseconds. */
  statementTimeoutMs: number;
}

export type PgRequest =
  | { id: number; type: 'query'; sql: string; params: unknown[] }
  | { id: number; type: 'exec'; sql: string }
  | { id: number; type: 'close' };

export type PgAnswer =
  | { id: number; ok: true; rows: Record<string, unknown>[]; rowCount: number }
  | { id: number; ok: false; message: string; code?: string };
