import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testEnv } from '../helpers/core.js';
import { startTestPostgres } from '../helpers/postgres.js';
import { call, type Json, upload } from './helpers/http.js';
import { type Replica, startReplica } from './replicas/processes.js';
import { mentionEvent, postSigned, slackForReplicas, slashCommand } from './replicas/slack.js';

/**
 * Two web replicas and ingestion workers as separate processes on one PostgreSQL and one data
 * folder, as a scaled deployment runs them: an upload accepted by one replica is run by a worker
 * and searchable through the other, a worker killed mid-job leaves the job to the next one, both
 * replicas list the same jobs (API and `/kb status`), and a Slack event delivered to both is
 * answered once.
 */
const pg = await startTestPostgres('the scale-out test');
const slack = await slackForReplicas();
const dataDir = mkdtempSync(join(tmpdir(), 'teamkb-scale-'));
const running: Replica[] = [];
/** The two web replicas, once the first test started them. */
let web: [Replica, Replica] | undefined;
afterAll(async () => {
  for (const r of running) await r.kill();
  pg?.stop();
  await slack.fake.close();
  rmSync(dataDir, { recursive: true, force: true });
});
const maybe = pg ? it : it.skip;

const until = async <T>(what: string, probe: () => Promise<T | undefined>): Promise<T> => {
  for (let i = 0; i < 300; i++) {
    const found = await probe();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`gave up waiting for ${what}`);
};

describe('scale-out: web replicas and ingestion workers', () => {
  maybe(
    'an upload through one replica is run by a worker, survives the worker dying, and is searchable through the other',
    async () => {
      const env = testEnv(dataDir, {
        TEAMKB_DATABASE_URL: (pg as NonNullable<typeof pg>).newDatabase(),
        TEAMKB_MODELS_DIR: join(dataDir, 'models'),
        TEAMKB_PORT: '0',
        TEAMKB_HOST: '127.0.0.1',
        TEAMKB_INGEST_TIMEOUT: '2',
        ...slack.env,
      });
      const doomed = await startReplica({ ...env, TEAMKB_ROLE: 'worker' }, 'stall');
      running.push(doomed);
      const [a, b] = await Promise.all([
        startReplica({ ...env, TEAMKB_ROLE: 'web' }),
        startReplica({ ...env, TEAMKB_ROLE: 'web' }),
      ]);
      running.push(a, b);
      web = [a, b];

      expect((await call(a.url, 'POST', '/api/kb', { name: 'team' })).status).toBe(201);
      const accepted = await upload(a.url, 'team', [
        {
          name: 'onboarding.md',
          bytes: '# Onboarding\n\nThe VPN token rotates every ninety days; ask the helpdesk for a new one.\n',
        },
      ]);
      expect(accepted.status).toBe(202);
      const jobId: string = accepted.body.jobId;

      // The doomed worker takes a job (this one or the sample KB's) and dies mid-way.
      const taken = (await doomed.line('took ')).slice('took '.length);
      expect((await call(b.url, 'GET', `/api/jobs/${taken}`)).body.status).toBe('running');
      await doomed.kill();

      // With no worker alive the jobs stand still: `/kb status` in Slack lists the same ones on both.
      const jobLines = async (r: Replica, id: string) =>
        (await slashCommand(slack.fake, r.url, id, 'status', /TeamKB status/))
          .split('\n')
          .filter((line) => /\(job [0-9a-f]{8}\)/.test(line));
      const statusA = await jobLines(a, 'status-a');
      expect(statusA.join('\n')).toContain(`(job ${taken.slice(0, 8)})`);
      expect(await jobLines(b, 'status-b')).toEqual(statusA);

      const worker = await startReplica({ ...env, TEAMKB_ROLE: 'worker' });
      running.push(worker);

      for (const id of new Set([jobId, taken])) {
        const job: Json = await until(`job ${id}`, async () => {
          const { body } = await call(b.url, 'GET', `/api/jobs/${id}`);
          return body.status === 'done' || body.status === 'failed' ? body : undefined;
        });
        expect(job.status).toBe('done');
      }

      const search = await call(b.url, 'POST', '/api/kb/team/search', { query: 'VPN token helpdesk', mode: 'bm25' });
      expect(search.status).toBe(200);
      expect(search.body.hits.map((h: Json) => h.source)).toContain('onboarding.md');
      expect(search.body.hits[0].text).toMatch(/VPN token rotates/);

      const ids = async (r: Replica) => ((await call(r.url, 'GET', '/api/jobs')).body.jobs as Json[]).map((j) => j.id).sort();
      expect(await ids(a)).toEqual(await ids(b));
      expect(await ids(a)).toContain(jobId);
    },
    90_000,
  );

  maybe(
    'a Slack event delivered to both web replicas is answered once',
    async () => {
      const [a, b] = web ?? [];
      if (!a || !b) throw new Error('the web replicas did not start');
      const ts = '1800000000.000100';
      const event = mentionEvent('EvScaleOnce', ts, 'How often does the VPN token rotate?');
      const acks = await Promise.all([a, b].map((r) => postSigned(r.url, event, 'application/json')));
      expect(acks.map((ack) => ack.status)).toEqual([200, 200]);
      // Answers are posted after the ack: wait for the first, then long enough for a second to show.
      const answers = () => slack.fake.allMessages().filter((m) => m.thread === ts);
      await until('an answer', async () => (answers().length > 0 ? true : undefined));
      await new Promise((resolve) => setTimeout(resolve, 3000));
      expect(answers()).toHaveLength(1);
      expect(answers()[0]?.text).not.toBe('');
    },
    30_000,
  );
});
