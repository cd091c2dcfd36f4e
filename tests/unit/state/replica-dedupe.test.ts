import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../../../adapters/registry/pg-db.js';
import type { SqlDb } from '../../../adapters/registry/sql-db.js';
import { openSqlite } from '../../../adapters/registry/sqlite-db.js';
import { runtimeConfigSchema } from '../../../bots/runtime/config.js';
import { createBotRuntime, type TeamKbRuntime } from '../../../bots/runtime/create-runtime.js';
import { startTestPostgres } from '../../helpers/postgres.js';
import { FakeAnswerService } from '../runtime/fakes/fake-answer-service.js';
import { FakeKbService } from '../runtime/fakes/fake-kb-service.js';
import { FakeSlack } from '../slack/fake-slack.js';
import { SlackHttpHarness } from '../slack/http-harness.js';

/**
 * Two replicas of the bot, each with its own state connection, behind one Slack app: Slack (or a
 * load balancer) may hand the same event to both, and it must be answered once.
 */
const pg = await startTestPostgres('the replica dedupe tests');
afterAll(() => pg?.stop());

interface Replica {
  db: SqlDb;
  runtime: TeamKbRuntime;
  slack: SlackHttpHarness;
}

async function startReplica(db: SqlDb, fake: FakeSlack): Promise<Replica> {
  const kb = new FakeKbService();
  const runtime = createBotRuntime({
    kb,
    answers: new FakeAnswerService(kb),
    db,
    config: runtimeConfigSchema.parse({ purgeIntervalMinutes: 0 }),
    logger: pino({ level: 'silent' }),
  });
  const slack = await SlackHttpHarness.create({}, fake);
  await slack.adapter.start(runtime);
  return { db, runtime, slack };
}

async function stopReplicas(replicas: Replica[]): Promise<void> {
  for (const r of replicas) {
    await r.slack.adapter.stop();
    await r.slack.close();
    r.runtime.close();
    r.db.close();
  }
}

const mention = (eventId: string) =>
  JSON.stringify({
    type: 'event_callback',
    team_id: 'T1',
    api_app_id: 'A1',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    event: { type: 'app_mention', channel: 'C1', user: 'U1', ts: '1600000000.000100', text: '<@UBOT> what is the answer?' },
  });

/** Sends the same signed event to every replica at once; returns how many answers Slack got. */
async function sendToAll(replicas: Replica[], fake: FakeSlack, eventId: string): Promise<number> {
  const raw = mention(eventId);
  const acks = await Promise.all(replicas.map((r) => r.slack.deliver(raw)));
  expect(acks.map((a) => a.status)).toEqual(replicas.map(() => 200));
  return fake.allMessages().filter((m) => m.text.includes('forty-two')).length;
}

describe('platform events across replicas', () => {
  it('on separate embedded state, two replicas both answer the same event (why replicas need shared state)', async () => {
    const fake = new FakeSlack();
    const replicas = [await startReplica(openSqlite(':memory:'), fake), await startReplica(openSqlite(':memory:'), fake)];
    try {
      expect(await sendToAll(replicas, fake, 'EvSplit')).toBe(2);
    } finally {
      await stopReplicas(replicas);
    }
  });

  (pg ? it : it.skip)('on one PostgreSQL, the same signed Slack event sent to two replicas is answered once', async () => {
    const url = (pg as NonNullable<typeof pg>).newDatabase();
    const fake = new FakeSlack();
    const replicas = [await startReplica(openPostgres(url), fake), await startReplica(openPostgres(url), fake)];
    try {
      expect(await sendToAll(replicas, fake, 'EvShared1')).toBe(1);
      // A redelivery to either replica later on is dropped too; a new event is answered once more.
      expect(await sendToAll(replicas.slice(1), fake, 'EvShared1')).toBe(1);
      expect(await sendToAll(replicas, fake, 'EvShared2')).toBe(2);
    } finally {
      await stopReplicas(replicas);
    }
  });

  (pg ? it : it.skip)('two processes racing over the same event ids each win a disjoint share, and every id is won', async () => {
    const url = (pg as NonNullable<typeof pg>).newDatabase();
    const count = 300;
    const script = fileURLToPath(new URL('./claim-events-child.ts', import.meta.url));
    const children: ChildProcessWithoutNullStreams[] = [0, 1].map(() =>
      spawn(process.execPath, ['--import', 'tsx', script, url, String(count)], { stdio: 'pipe' }),
    );
    const lines = children.map((child) => {
      const out: string[] = [];
      let buffered = '';
      child.stdout.on('data', (d: Buffer) => {
        buffered += d.toString();
        const parts = buffered.split('\n');
        buffered = parts.pop() ?? '';
        out.push(...parts);
      });
      return out;
    });
    const waitFor = async (i: number, n: number) => {
      while (lines[i]?.length !== n) {
        if (children[i]?.exitCode !== null) throw new Error(`claimer ${i} exited early`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    await Promise.all([waitFor(0, 1), waitFor(1, 1)]);
    for (const child of children) child.stdin.write('go\n');
    await Promise.all([waitFor(0, 2), waitFor(1, 2)]);
    await Promise.all(children.map((child) => (child.exitCode === null ? once(child, 'exit') : undefined)));
    const won = lines.map((l) => JSON.parse(l[1] as string) as number[]);
    const all = [...(won[0] ?? []), ...(won[1] ?? [])].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: count }, (_, i) => i));
  });
});
