import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app.js';
import { messagesOf, sendMessage } from './helpers/conversation.js';
import { EXPENSES, VPN_GUIDE } from './helpers/corpus.js';
import { call, followJob, upload } from './helpers/http.js';

interface JobView {
  id: string;
  kb: string;
  kind: string;
  status: string;
  progress: { filesTotal: number; filesDone: number };
}

const listJobs = async (app: TestApp, query = ''): Promise<JobView[]> =>
  (await call(app.url, 'GET', `/api/jobs${query}`)).body.jobs;
const progressIds = (parts: Array<{ event: string; data: { progress?: { jobId: string } } }>) => [
  ...new Set(parts.filter((p) => p.event === 'progress').map((p) => p.data.progress?.jobId)),
];

/** Every ingest, whoever starts it, is one registry job that every surface lists the same way. */
describe('one jobs concept', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ runtime: { rateLimitPerMinute: 0 } });
    expect((await call(app.url, 'POST', '/api/kb', { name: 'handbook' })).status).toBe(201);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('REST uploads, chat uploads, file chats and reindexes are registry jobs listed by GET /api/jobs', async () => {
    const accepted = await upload(app.url, 'handbook', [{ name: 'vpn.md', bytes: VPN_GUIDE }]);
    expect(accepted.status).toBe(202);
    await followJob(app.url, accepted.body.events);

    const chatUpload = await sendMessage(app.url, 'jobs-admin', '/kb upload handbook', [
      { name: 'expenses.md', bytes: EXPENSES },
    ]);
    const [chatJob] = progressIds(chatUpload.parts);
    const fileChat = await sendMessage(app.url, 'jobs-files', 'How do I rotate the VPN key?', [
      { name: 'notes.md', bytes: VPN_GUIDE },
    ]);
    const [fileJob] = progressIds(fileChat.parts);
    const reindex = await sendMessage(app.url, 'jobs-admin', '/kb reindex handbook');
    const [reindexJob] = progressIds(reindex.parts);

    const jobs = await listJobs(app);
    const byId = new Map(jobs.map((j) => [j.id, j]));
    expect(byId.get(accepted.body.jobId)).toMatchObject({ kb: 'handbook', kind: 'ingest', status: 'done' });
    expect(byId.get(chatJob as string)).toMatchObject({ kb: 'handbook', kind: 'ingest', status: 'done' });
    expect(byId.get(fileJob as string)).toMatchObject({ kind: 'ingest', status: 'done' });
    expect(byId.get(fileJob as string)?.kb).toMatch(/^tmp-/);
    expect(byId.get(reindexJob as string)).toMatchObject({ kb: 'handbook', kind: 'reindex', status: 'done' });
    // The chat's progress ids are the registry's: the HTTP API answers for them too.
    expect((await call(app.url, 'GET', `/api/jobs/${chatJob}`)).body).toMatchObject({ id: chatJob, status: 'done' });
    expect((await listJobs(app, '?kb=handbook')).map((j) => j.id)).toEqual(
      jobs.filter((j) => j.kb === 'handbook').map((j) => j.id),
    );
  });

  it('/kb status in the web chat and GET /api/jobs list the same running jobs, whoever runs them', async () => {
    // A job another process is running (a CLI ingest, say): it is in the shared registry.
    const other = app.core.registry.createJob('handbook', 'ingest');
    app.core.registry.updateJob(other.id, {
      status: 'running',
      progress: { filesTotal: 4, filesDone: 1, chunksDone: 7, failed: 0, unchanged: 0 },
    });
    const running = await listJobs(app, '?status=unfinished');
    expect(running.map((j) => j.id)).toEqual([other.id]);
    const status = messagesOf((await sendMessage(app.url, 'jobs-status', '/kb status')).parts);
    expect(status).toContain(`upload to **handbook**: 1/4 files, 7 chunks (job ${other.id.slice(0, 8)})`);

    app.core.registry.updateJob(other.id, { status: 'done' });
    expect(await listJobs(app, '?status=unfinished')).toEqual([]);
    expect(messagesOf((await sendMessage(app.url, 'jobs-status', '/kb status')).parts)).toContain('Jobs: none running');
  });
});
