import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app.js';
import { corruptDocx, ONBOARDING, VPN_GUIDE } from './helpers/corpus.js';
import { call, createKbWithFiles, followJob, upload } from './helpers/http.js';

describe('KB REST API', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ maxUploadBytes: 64 * 1024 });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('ingests an upload in the background, reports failures per file, searches, downloads and deletes', async () => {
    const { url } = app;
    const created = await call(url, 'POST', '/api/kb', { name: 'handbook', description: 'Team handbook' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'handbook', description: 'Team handbook', embedder: 'fake:64' });

    const accepted = await upload(url, 'handbook', [
      { name: 'vpn.md', bytes: VPN_GUIDE },
      { name: 'onboarding.txt', bytes: ONBOARDING },
      { name: 'broken.docx', bytes: corruptDocx() },
    ]);
    expect(accepted.status).toBe(202);
    expect(accepted.body.jobId).toEqual(expect.any(String));
    expect(accepted.body.events).toBe(`/api/jobs/${accepted.body.jobId}/events`);

    const events = await followJob(url, accepted.body.events);
    const done = events.at(-1);
    expect(done?.type).toBe('done');
    const summary = done?.summary;
    expect(summary.ingested.sort()).toEqual(['onboarding.txt', 'vpn.md']);
    expect(summary.failed).toHaveLength(1);
    expect(summary.failed[0].file).toBe('broken.docx');
    expect(summary.failed[0]).toMatchObject({ code: 'FILE_CORRUPT', reason: expect.stringMatching(/^broken\.docx: .*zip/) });
    expect(summary.chunks).toBeGreaterThan(0);

    const job = await call(url, 'GET', `/api/jobs/${accepted.body.jobId}`);
    expect(job.status).toBe(200);
    expect(job.body.status).toBe('done');
    // A finished job's events URL still answers with its summary at once.
    const replay = await followJob(url, accepted.body.events);
    expect(replay).toEqual([expect.objectContaining({ type: 'done' })]);

    const files = await call(url, 'GET', '/api/kb/handbook/files');
    expect(files.status).toBe(200);
    const byName = Object.fromEntries(files.body.files.map((f: { name: string }) => [f.name, f]));
    expect(Object.keys(byName).sort()).toEqual(['broken.docx', 'onboarding.txt', 'vpn.md']);
    expect(byName['vpn.md']).toMatchObject({ status: 'ready', error: null });
    expect(byName['vpn.md'].chunks).toBeGreaterThan(0);
    expect(byName['broken.docx']).toMatchObject({ status: 'failed' });
    expect(byName['broken.docx'].error).toEqual(expect.any(String));

    const search = await call(url, 'POST', '/api/kb/handbook/search', { query: 'how do I rotate the VPN key' });
    expect(search.status).toBe(200);
    expect(search.body.hits.length).toBeGreaterThan(0);
    expect(search.body.hits[0]).toMatchObject({ source: 'vpn.md', kb: 'handbook' });
    expect(search.body.hits[0].text).toContain('90 days');
    for (const hit of search.body.hits) {
      expect(hit.score).toBeGreaterThanOrEqual(0);
      expect(hit.score).toBeLessThanOrEqual(1);
    }

    const download = await fetch(`${url}/api/kb/handbook/files/vpn.md/download`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toContain('vpn.md');
    expect(Buffer.from(await download.arrayBuffer()).equals(Buffer.from(VPN_GUIDE))).toBe(true);

    const reindex = await call(url, 'POST', '/api/kb/handbook/reindex', { recreate: true });
    expect(reindex.status).toBe(202);
    const reindexed = (await followJob(url, reindex.body.events)).at(-1);
    expect(reindexed?.type).toBe('done');
    expect(reindexed?.summary.ingested.sort()).toEqual(['onboarding.txt', 'vpn.md']);
    expect(reindexed?.summary.failed.map((f: { file: string }) => f.file)).toEqual(['broken.docx']);
    const again = await call(url, 'POST', '/api/kb/handbook/search', { query: 'how do I rotate the VPN key' });
    expect(again.body.hits[0].source).toBe('vpn.md');

    const removed = await call(url, 'DELETE', '/api/kb/handbook/files/vpn.md');
    expect(removed.status).toBe(200);
    expect(removed.body.removedChunks).toBeGreaterThan(0);
    for (const mode of ['hybrid', 'dense', 'bm25']) {
      const after = await call(url, 'POST', '/api/kb/handbook/search', {
        query: 'rotate the VPN key every 90 days',
        mode,
        top_k: 20,
      });
      expect(after.status).toBe(200);
      expect(after.body.hits.map((h: { source: string }) => h.source)).not.toContain('vpn.md');
    }
    const gone = await fetch(`${url}/api/kb/handbook/files/vpn.md/download`);
    expect(gone.status).toBe(404);
    expect((await gone.json()).error.code).toBe('FILE_NOT_FOUND');

    const deleted = await call(url, 'DELETE', '/api/kb/handbook');
    expect(deleted.status).toBe(204);
    const list = await call(url, 'GET', '/api/kb');
    expect(list.body.kbs.map((k: { name: string }) => k.name)).not.toContain('handbook');
  });

  it('handles file names with folders, spaces and Chinese characters in every route', async () => {
    const { url } = app;
    const uploaded = '使用指南 #1.md';
    await createKbWithFiles(url, 'names', [{ name: uploaded, bytes: `${uploaded}\n\n${VPN_GUIDE}` }]);
    // Folder ingests (CLI) keep sub-folders in file names.
    const nested = 'guides/vpn setup.md';
    const target = join(app.core.kb.contentDir('names'), nested);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, `${nested}\n\n${VPN_GUIDE}`);
    await app.core.kb.ingestContent('names', [nested]);

    const files = await call(url, 'GET', '/api/kb/names/files');
    expect(files.body.files.map((f: { name: string }) => f.name).sort()).toEqual([nested, uploaded].sort());
    for (const name of [nested, uploaded]) {
      const path = `/api/kb/names/files/${encodeURIComponent(name)}`;
      const download = await fetch(`${url}${path}/download`);
      expect(download.status).toBe(200);
      expect(await download.text()).toBe(`${name}\n\n${VPN_GUIDE}`);
      expect(decodeURIComponent(download.headers.get('content-disposition') ?? '')).toContain(name.split('/').at(-1));
      expect((await call(url, 'DELETE', path)).status).toBe(200);
    }
    expect((await call(url, 'GET', '/api/kb/names/files')).body.files).toEqual([]);
  });

  it('pages and filters the file list on the server (56 files)', async () => {
    const { url } = app;
    const many = Array.from({ length: 56 }, (_, i) => ({
      name: `note-${String(i + 1).padStart(2, '0')}.txt`,
      bytes: `Note number ${i + 1} about topic ${i % 7}.`,
    }));
    // One upload takes at most 50 files.
    await createKbWithFiles(url, 'many', many.slice(0, 30));
    await followJob(url, (await upload(url, 'many', many.slice(30))).body.events);
    const page = async (query: string) => (await call(url, 'GET', `/api/kb/many/files${query}`)).body;

    const all = await page('');
    expect(all.total).toBe(56);
    expect(all.files).toHaveLength(56);
    const third = await page('?offset=40&limit=20');
    expect(third).toMatchObject({ total: 56, offset: 40 });
    expect(third.files.map((f: { name: string }) => f.name)).toEqual(many.slice(40).map((f) => f.name));
    const first = await page('?limit=20');
    expect(first.files.map((f: { name: string }) => f.name)).toEqual(many.slice(0, 20).map((f) => f.name));

    const filtered = await page('?q=NOTE-4&limit=5');
    expect(filtered.total).toBe(10);
    expect(filtered.files.map((f: { name: string }) => f.name)).toEqual(many.slice(39, 44).map((f) => f.name));
    expect((await page('?q=ready&limit=1')).total).toBe(56);
    expect((await page('?q=failed')).total).toBe(0);
    expect((await call(url, 'GET', '/api/kb/many/files?limit=0')).status).toBe(400);
  });

  it('follows a job that another process (the CLI) runs, through the registry', async () => {
    const { url, core } = app;
    await call(url, 'POST', '/api/kb', { name: 'cli-side' });
    const job = core.registry.createJob('cli-side', 'ingest');
    core.registry.updateJob(job.id, { status: 'running' });
    const following = followJob(url, `/api/jobs/${job.id}/events`);
    const progress = { filesTotal: 2, filesDone: 1, chunksDone: 3, failed: 0, unchanged: 0 };
    core.registry.updateJob(job.id, { progress });
    const summary = {
      jobId: job.id,
      kb: 'cli-side',
      ingested: ['a.txt', 'b.txt'],
      unchanged: [],
      failed: [],
      chunks: 6,
      seconds: 1,
    };
    setTimeout(
      () => core.registry.updateJob(job.id, { status: 'done', result: summary, progress: { ...progress, filesDone: 2 } }),
      300,
    );
    const events = await following;
    expect(events.at(-1)).toEqual({ type: 'done', summary });
  });

  it('answers errors as {error: {code, message}} with fitting statuses', async () => {
    const { url } = app;
    const missing = await call(url, 'GET', '/api/kb/nope/files');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('KB_NOT_FOUND');
    expect(missing.body.error.message).toContain('nope');

    const missingSearch = await call(url, 'POST', '/api/kb/nope/search', { query: 'x' });
    expect(missingSearch.status).toBe(404);
    expect(missingSearch.body.error.code).toBe('KB_NOT_FOUND');

    const missingUpload = await upload(url, 'nope', [{ name: 'a.txt', bytes: 'hello' }]);
    expect(missingUpload.status).toBe(404);
    expect(missingUpload.body.error.code).toBe('KB_NOT_FOUND');

    const noName = await call(url, 'POST', '/api/kb', {});
    expect(noName.status).toBe(400);
    expect(noName.body.error).toMatchObject({ code: 'INVALID_INPUT', message: expect.any(String) });

    const badName = await call(url, 'POST', '/api/kb', { name: '../etc' });
    expect(badName.status).toBe(400);
    expect(badName.body.error.code).toBe('KB_NAME_INVALID');

    expect((await call(url, 'POST', '/api/kb', { name: 'twice' })).status).toBe(201);
    const twice = await call(url, 'POST', '/api/kb', { name: 'twice' });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('KB_EXISTS');

    const emptyQuery = await call(url, 'POST', '/api/kb/twice/search', { query: '' });
    expect(emptyQuery.status).toBe(400);
    expect(emptyQuery.body.error.code).toBe('INVALID_INPUT');

    const notMultipart = await call(url, 'POST', '/api/kb/twice/files', { files: [] });
    expect(notMultipart.status).toBe(400);
    expect(notMultipart.body.error.code).toBe('INVALID_INPUT');

    const noFile = await call(url, 'DELETE', '/api/kb/twice/files/ghost.txt');
    expect(noFile.status).toBe(404);
    expect(noFile.body.error.code).toBe('FILE_NOT_FOUND');

    const noJob = await call(url, 'GET', '/api/jobs/no-such-job/events');
    expect(noJob.status).toBe(404);
    expect(noJob.body.error.code).toBe('JOB_NOT_FOUND');

    const notJson = await fetch(`${url}/api/kb`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
    expect(notJson.status).toBe(400);
    expect((await notJson.json()).error.code).toBe('INVALID_INPUT');

    const unknownRoute = await call(url, 'GET', '/api/nothing-here');
    expect(unknownRoute.status).toBe(404);
    expect(unknownRoute.body.error).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('/api/nothing-here') });

    const tooBig = await upload(url, 'twice', [{ name: 'big.txt', bytes: 'x'.repeat(65 * 1024) }]);
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.error.code).toBe('FILE_TOO_LARGE');

    const multi = await call(url, 'POST', '/api/kb/twice,nope/search', { query: 'x' });
    expect(multi.status).toBe(404);
    expect(multi.body.error.code).toBe('KB_NOT_FOUND');
  });
});
