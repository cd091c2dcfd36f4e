import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPostgres } from '../../adapters/registry/pg-db.js';
import type { SqlDb } from '../../adapters/registry/sql-db.js';
import { createSqlRegistry } from '../../adapters/registry/sql-registry.js';
import { openSqlite } from '../../adapters/registry/sqlite-db.js';
import { migrateAccess } from '../../bots/access/migrations.js';
import { RateLimiter } from '../../bots/runtime/rate-limiter.js';
import { ConversationStore } from '../../bots/state/conversation-store.js';
import { DedupeStore } from '../../bots/state/dedupe-store.js';
import { migrateRuntime } from '../../bots/state/migrations.js';
import { type BenchOptions, type BenchReport, type BenchRow, percentile } from './harness.js';

/**
 * What one chat event costs in state operations on each engine: the dedupe claim, the rate-limit
 * check, appending a turn, reading history, listing KBs. SQLite (a WAL file in a temp folder) is the
 * baseline; PostgreSQL runs when given with `--pg=postgres://…`, inside a throwaway schema dropped after.
 */
type Op = [name: string, run: (i: number) => void];

function ops(db: SqlDb): Op[] {
  createSqlRegistry(db);
  migrateRuntime(db);
  migrateAccess(db);
  const registry = createSqlRegistry(db);
  for (let k = 0; k < 20; k++) registry.createKb({ name: `kb-${k}`, embedder: 'none', dim: null, store: 'embedded' });
  const dedupe = new DedupeStore(db, 3_600_000);
  const limiter = new RateLimiter(db, 1_000_000, Date.now);
  const conversations = new ConversationStore(db);
  const key = { platform: 'slack', workspace: 'T1', channel: 'C1', thread: randomUUID() };
  const turn = { user: 'U1', question: 'q', answer: 'a'.repeat(500), citations: [], sources: ['kb-1'], mode: 'kb' as const };
  return [
    ['dedupe claim', (i) => void dedupe.firstDelivery('slack', `E${i}-${randomUUID()}`, Date.now())],
    ['rate-limit check', (i) => limiter.take({ platform: 'slack', user: `U${i % 50}` })],
    ['append turn', (i) => conversations.addTurn(key, { ...turn, answerId: randomUUID() }, Date.now() + i)],
    ['read 6 turns of history', () => void conversations.recentTurns(key, 6)],
    ['list 20 KBs', () => void registry.listKbs()],
  ];
}

function timeOps(db: SqlDb, n: number): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const [name, run] of ops(db)) {
    for (let i = 0; i < 20; i++) run(-i - 1); // warm-up
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      run(i);
      times.push(performance.now() - t);
    }
    out.set(
      name,
      times.sort((a, b) => a - b),
    );
  }
  return out;
}

export async function run(opts: BenchOptions): Promise<BenchReport> {
  const n = opts.quick ? 200 : 2000;
  const dir = mkdtempSync(join(tmpdir(), 'teamkb-bench-state-'));
  const sqlite = openSqlite(join(dir, 'teamkb.sqlite'));
  const base = timeOps(sqlite, n);
  sqlite.close();
  rmSync(dir, { recursive: true, force: true });
  const notes = [`${n} calls per operation, one after another; times per call`];
  const rows: BenchRow[] = [];
  const url = opts.args.find((a) => a.startsWith('--pg='))?.slice('--pg='.length);
  let pg: Map<string, number[]> | undefined;
  if (url) {
    const db = openPostgres(url);
    const schema = `teamkb_bench_${randomUUID().slice(0, 8)}`;
    try {
      db.exec(`CREATE SCHEMA ${schema}; SET search_path TO ${schema}`);
      db.exec(
        'CREATE TABLE schema_migrations (module TEXT NOT NULL, version INTEGER NOT NULL, applied_at TEXT NOT NULL, PRIMARY KEY (module, version))',
      );
      pg = timeOps(db, n);
    } finally {
      db.exec(`DROP SCHEMA ${schema} CASCADE`);
      db.close();
    }
  } else notes.push('PostgreSQL not measured: pass --pg=postgres://… (a throwaway schema is created and dropped there)');
  for (const [name, times] of base) {
    const other = pg?.get(name);
    for (const p of [50, 95]) {
      const baseline = percentile(times, p);
      rows.push(
        other
          ? { name: `${name} p${p} (PostgreSQL)`, value: percentile(other, p), unit: 'ms', baseline, baselineName: 'SQLite' }
          : { name: `${name} p${p} (SQLite)`, value: baseline, unit: 'ms' },
      );
    }
  }
  return { name: 'state', rows, notes };
}
