import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VPN_GUIDE } from '../../tests/e2e/helpers/corpus.js';
import { call, upload } from '../../tests/e2e/helpers/http.js';
import { type Replica, startReplica } from '../../tests/e2e/replicas/processes.js';
import { testEnv } from '../../tests/helpers/core.js';
import { startTestPostgres } from '../../tests/helpers/postgres.js';
import { type ChatTiming, timeChat } from './_http.js';
import { type BenchFn, type BenchRow, percentile } from './harness.js';

const QUESTIONS = ['How do I rotate the VPN key?', 'Who do I ask for a new VPN token?', 'How often does the key change?'];

/** 64 questions at once, spread round-robin over the given replicas; wall time and each answer's timing. */
async function burst(urls: string[], kb: string, n: number): Promise<{ seconds: number; timings: ChatTiming[] }> {
  const started = performance.now();
  const timings = await Promise.all(
    Array.from({ length: n }, (_, i) =>
      timeChat(urls[i % urls.length] as string, { mode: 'kb', question: QUESTIONS[i % QUESTIONS.length], kbs: [kb] }),
    ),
  );
  return { seconds: (performance.now() - started) / 1000, timings };
}

/**
 * One web replica against two on the same machine, one PostgreSQL and one data folder (an ingest
 * worker beside them): throughput, p95 and errors of 64 concurrent questions through /api/chat.
 * PostgreSQL: `--pg=postgres://…` (an empty database), else a throwaway cluster when the server is installed.
 */
export const run: BenchFn = async (opts) => {
  const notes: string[] = [];
  const rows: BenchRow[] = [];
  const given = opts.args.find((a) => a.startsWith('--pg='))?.slice('--pg='.length);
  const pg = given ? undefined : await startTestPostgres('the replicas benchmark');
  const url = given ?? pg?.newDatabase();
  if (!url) return { name: 'replicas', rows, notes: ['No PostgreSQL: pass --pg=postgres://… (an empty database)'] };
  const dataDir = mkdtempSync(join(tmpdir(), 'teamkb-bench-replicas-'));
  const replicas: Replica[] = [];
  const n = opts.quick ? 16 : 64;
  try {
    const env = testEnv(dataDir, { TEAMKB_DATABASE_URL: url, TEAMKB_PORT: '0', TEAMKB_HOST: '127.0.0.1' });
    replicas.push(await startReplica({ ...env, TEAMKB_ROLE: 'worker' }));
    const a = await startReplica({ ...env, TEAMKB_ROLE: 'web' });
    replicas.push(a);
    await call(a.url, 'POST', '/api/kb', { name: 'bench' });
    const { body } = await upload(a.url, 'bench', [{ name: 'vpn.md', bytes: VPN_GUIDE }]);
    for (let i = 0; i < 600 && (await call(a.url, 'GET', `/api/jobs/${body.jobId}`)).body.status !== 'done'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await burst([a.url], 'bench', 8); // warm-up
    const one = await burst([a.url], 'bench', n);
    const b = await startReplica({ ...env, TEAMKB_ROLE: 'web' });
    replicas.push(b);
    await burst([b.url], 'bench', 8);
    const two = await burst([a.url, b.url], 'bench', n);
    const p95 = (t: ChatTiming[]) =>
      percentile(
        t.map((x) => x.total).sort((x, y) => x - y),
        95,
      );
    const errors = (t: ChatTiming[]) => t.filter((x) => x.error).length;
    rows.push(
      {
        name: `${n} questions: throughput`,
        value: n / two.seconds,
        unit: 'q/s',
        baseline: n / one.seconds,
        baselineName: 'one replica',
      },
      {
        name: `${n} questions: p95 answer`,
        value: p95(two.timings),
        unit: 'ms',
        baseline: p95(one.timings),
        baselineName: 'one replica',
      },
      {
        name: `${n} questions: errors`,
        value: errors(two.timings),
        unit: '',
        baseline: errors(one.timings),
        baselineName: 'one replica',
      },
    );
    notes.push('Values: two web replicas (round-robin); baseline: one. Extractive answers (no LLM), fake embedder; one machine.');
    notes.push('Platform-event ack p99 with two replicas is not measured here (see `npm run bench -- slack` for one).');
  } finally {
    for (const r of replicas) await r.kill();
    pg?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return { name: 'replicas', rows, notes };
};
