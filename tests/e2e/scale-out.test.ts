import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testEnv } from '../helpers/core.js';
import { startTestPostgres } from '../helpers/postgres.js';
import { call, type Json, upload } from './helpers/http.js';
import { type Replica, startReplica } from './replicas/processes.js';

/**
 * Two web replicas and ingestion workers as separate processes on one PostgreSQL and one data
 * folder, as a scaled deployment runs them: an upload accepted by one replica is run by a worker
 * and searchable through the other, a worker killed mid-job leaves the job to the next one, and
 * both replicas list the same jobs.
 */
const pg = await startTestPostgres('the scale-out test');
const dataDir = mkdtempSync(join(tmpdir(), 'teamkb-scale-'));
const running: Replica[] = [];
afterAll(async () => {
  for (const r of running) await r.kill();
  pg?.stop();
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
      });
      const doomed = await startReplica({ ...env, TEAMKB_ROLE: 'worker' }, 'stall');
      running.push(doomed);
      const [a, b] = await Promise.all([
        startReplica({ ...env, TEAMKB_ROLE: 'web' }),
        startReplica({ ...env, TEAMKB_ROLE: 'web' }),
      ]);
      running.push(a, b);

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
});
