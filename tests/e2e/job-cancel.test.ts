import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUE_OWNER } from '../../core/ingest/queue.js';
import { kbFolder } from '../../core/kb/folders.js';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { messagesOf, sendMessage } from './helpers/conversation.js';
import { ONBOARDING, VPN_GUIDE } from './helpers/corpus.js';
import { call, followJob, upload } from './helpers/http.js';

/**
 * A job still waiting for a worker can be cancelled (POST /api/jobs/<id>/cancel): it never runs and
 * its staged uploads are removed. A running or finished job is refused with JOB_NOT_CANCELLABLE.
 */
const pg: TestPostgres | undefined = await startTestPostgres('cancelling queued jobs on PostgreSQL');

const cancel = (app: TestApp, id: string, headers: Record<string, string> = {}) =>
  call(app.url, 'POST', `/api/jobs/${id}/cancel`, undefined, headers);

describe('cancelling jobs (SQLite, jobs run in the accepting process)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ runtime: { rateLimitPerMinute: 0 } });
    expect((await call(app.url, 'POST', '/api/kb', { name: 'handbook' })).status).toBe(201);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('refuses a finished or running job in words, and an unknown one as not found', async () => {
    const accepted = await upload(app.url, 'handbook', [{ name: 'vpn.md', bytes: VPN_GUIDE }]);
    await followJob(app.url, accepted.body.events);
    const finished = await cancel(app, accepted.body.jobId);
    expect(finished.status).toBe(409);
    expect(finished.body.error).toMatchObject({
      code: 'JOB_NOT_CANCELLABLE',
      message: expect.stringMatching(/already finished/),
    });

    const running = app.core.registry.createJob('handbook', 'ingest');
    app.core.registry.startJob(running.id);
    const refused = await cancel(app, running.id);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/is already running, and a running ingest cannot be cancelled/);
    expect(app.core.registry.getJob(running.id)?.status).toBe('running');
    app.core.registry.updateJob(running.id, { status: 'done' });

    expect((await cancel(app, 'no-such-job')).body.error.code).toBe('JOB_NOT_FOUND');
  });

  it('cancels a queued job for those who may add files to its KB, and a worker taking it anyway skips it', async () => {
    const job = app.core.registry.createJob('handbook', 'ingest', QUEUE_OWNER);
    const reader = { authorization: `Bearer ${app.access.keys.create('reader', ['read']).key}` };
    expect((await cancel(app, job.id, reader)).status).toBe(403);
    expect(app.core.registry.getJob(job.id)?.status).toBe('queued');

    const cancelled = await cancel(app, job.id);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ id: job.id, status: 'cancelled', error: 'Cancelled before it started.' });

    // The queue handed the job to a worker before the cancel reached it: the run is skipped and the
    // upload staged for it removed.
    const { staging } = kbFolder(app.core.filesDir, 'handbook');
    mkdirSync(staging, { recursive: true });
    const stagedPath = join(staging, 'late.upload');
    writeFileSync(stagedPath, ONBOARDING);
    await app.core.kb.runQueued({ jobId: job.id, kb: 'handbook', files: [{ name: 'onboarding.txt', stagedPath }] });
    expect(existsSync(stagedPath)).toBe(false);
    expect(app.core.registry.getFile('handbook', 'onboarding.txt')).toBeUndefined();
    expect(app.core.registry.getJob(job.id)?.status).toBe('cancelled');
  });

  it('/kb cancel takes the job id as /kb status shows it', async () => {
    const job = app.core.registry.createJob('handbook', 'ingest', QUEUE_OWNER);
    const short = job.id.slice(0, 8);
    // What the chat shows: messages, and errors in words.
    const kb = async (line: string) => {
      const { parts } = await sendMessage(app.url, 'cancel-chat', line);
      return [
        messagesOf(parts),
        ...parts.filter((p) => p.event === 'error').map((p) => `${p.data.code}: ${p.data.message}`),
      ].join('\n');
    };
    expect(await kb('/kb status')).toContain(`(job ${short})`);
    expect(await kb(`/kb cancel ${short}`)).toContain(`Cancelled job ${short} on **handbook**`);
    expect(app.core.registry.getJob(job.id)?.status).toBe('cancelled');
    expect(await kb(`/kb cancel ${short}`)).toMatch(/JOB_NOT_CANCELLABLE: .*has already been cancelled/);
    expect(await kb('/kb cancel 0000dead')).toMatch(/JOB_NOT_FOUND: No job "0000dead"/);
  });
});

(pg ? describe : describe.skip)('cancelling a queued upload on PostgreSQL (pg-boss)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'teamkb-cancel-'));
  let web: TestApp;
  let worker: TestApp | undefined;
  let env: Record<string, string>;
  beforeAll(async () => {
    // One data folder for both processes (the embedded store's files and the KB sources).
    env = { TEAMKB_DATABASE_URL: (pg as TestPostgres).newDatabase(), TEAMKB_DATA_DIR: dataDir };
    web = await startTestApp({ env: { ...env, TEAMKB_ROLE: 'web' } });
  });
  afterAll(async () => {
    await worker?.close();
    await web?.close();
    pg?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('the upload never runs, its staged file is gone, and a worker started later leaves it alone', async () => {
    expect((await call(web.url, 'POST', '/api/kb', { name: 'handbook' })).status).toBe(201);
    // No worker runs yet: the upload waits in the queue.
    const accepted = await upload(web.url, 'handbook', [{ name: 'vpn.md', bytes: VPN_GUIDE }]);
    expect(accepted.status).toBe(202);
    const jobId: string = accepted.body.jobId;
    expect((await call(web.url, 'GET', `/api/jobs/${jobId}`)).body.status).toBe('queued');
    const { staging, content } = kbFolder(web.core.filesDir, 'handbook');
    expect(readdirSync(staging)).toHaveLength(1);
    const followed = followJob(web.url, accepted.body.events);

    const cancelled = await cancel(web, jobId);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    expect(readdirSync(staging)).toEqual([]);
    // Whoever follows the upload's progress hears that it was cancelled.
    expect((await followed).at(-1)).toMatchObject({ type: 'error', message: 'Cancelled before it started.' });
    expect((await cancel(web, jobId)).body.error).toMatchObject({
      code: 'JOB_NOT_CANCELLABLE',
      message: expect.stringMatching(/been cancelled/),
    });

    // A worker starts and runs the next upload; the cancelled one stays cancelled, its file never ingested.
    worker = await startTestApp({ env });
    const next = await upload(web.url, 'handbook', [{ name: 'onboarding.txt', bytes: ONBOARDING }]);
    const done = (await followJob(web.url, next.body.events)).at(-1);
    expect(done?.summary).toMatchObject({ ingested: ['onboarding.txt'], failed: [] });
    expect((await call(web.url, 'GET', `/api/jobs/${jobId}`)).body.status).toBe('cancelled');
    expect(readdirSync(content)).toEqual(['onboarding.txt']);
    const files = (await call(web.url, 'GET', '/api/kb/handbook/files')).body.files.map((f: { name: string }) => f.name);
    expect(files).toEqual(['onboarding.txt']);
  });
});
