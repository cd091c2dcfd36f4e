import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VPN_GUIDE } from '../../tests/e2e/helpers/corpus.js';
import { call, upload } from '../../tests/e2e/helpers/http.js';
import { type Replica, startReplica } from '../../tests/e2e/replicas/processes.js';
import { testEnv } from '../../tests/helpers/core.js';
import { startTestPostgres } from '../../tests/helpers/postgres.js';
import { type ChatTiming, timeChat } from './_http.js';
import { ackRun, slackForReplicas } from './_replica-acks.js';
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
  const events = opts.quick ? 40 : 200;
  const slack = await slackForReplicas();
  try {
    const env = testEnv(dataDir, { TEAMKB_DATABASE_URL: url, TEAMKB_PORT: '0', TEAMKB_HOST: '127.0.0.1', ...slack.env });
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
    const ackOne = await ackRun(slack.fake, [a.url], events, 'EvOne', 1700000000);
    const b = await startReplica({ ...env, TEAMKB_ROLE: 'web' });
    replicas.push(b);
    await burst([b.url], 'bench', 8);
    const two = await burst([a.url, b.url], 'bench', n);
    const ackTwo = await ackRun(slack.fake, [a.url, b.url], events, 'EvTwo', 1700001000);
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
    rows.push(
      {
        name: `Slack event ack p99 (${events} events, each sent to every replica)`,
        value: ackTwo.p99,
        unit: 'ms',
        baseline: ackOne.p99,
        baselineName: 'one replica',
      },
      {
        name: 'Slack: bot messages per event (the same with one and two replicas when dedupe holds)',
        value: ackTwo.messagesPerEvent,
        unit: '',
        baseline: ackOne.messagesPerEvent,
        baselineName: 'one replica',
      },
      {
        name: 'Slack: events not acknowledged with 200',
        value: ackTwo.failed,
        unit: '',
        baseline: ackOne.failed,
        baselineName: 'one replica',
      },
    );
    notes.push('Values: two web replicas (round-robin); baseline: one. Extractive answers (no LLM), fake embedder; one machine.');
    notes.push('Slack events are signed app mentions over the Events API; with two replicas each event is posted to both.');
  } finally {
    for (const r of replicas) await r.kill();
    pg?.stop();
    await slack.fake.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return { name: 'replicas', rows, notes };
};
