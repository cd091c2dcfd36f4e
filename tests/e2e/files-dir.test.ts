import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { sendMessage } from './helpers/conversation.js';
import { ONBOARDING, VPN_GUIDE } from './helpers/corpus.js';
import { call, createKbWithFiles, followJob, upload } from './helpers/http.js';

/**
 * TEAMKB_FILES_DIR moves every KB's source files out of the data folder: uploads are staged and kept
 * there, downloads and views read them there, deletion removes them there, and <dataDir>/kbs is
 * never created.
 */
const pg: TestPostgres | undefined = await startTestPostgres('the shared files folder on PostgreSQL');

const bytesOf = async (url: string) => Buffer.from(await (await fetch(url)).arrayBuffer());

describe('KB source files in TEAMKB_FILES_DIR', () => {
  const filesDir = mkdtempSync(join(tmpdir(), 'teamkb-files-'));
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ env: { TEAMKB_FILES_DIR: filesDir }, runtime: { rateLimitPerMinute: 0 } });
  });
  afterAll(async () => {
    await app?.close();
    rmSync(filesDir, { recursive: true, force: true });
  });

  it('ingests, downloads, views, removes and deletes there, leaving nothing under the data folder', async () => {
    expect(app.core.filesDir).toBe(filesDir);
    const summary = await createKbWithFiles(app.url, 'handbook', [
      { name: 'vpn.md', bytes: VPN_GUIDE },
      { name: 'onboarding.txt', bytes: ONBOARDING },
    ]);
    expect(summary.ingested.sort()).toEqual(['onboarding.txt', 'vpn.md']);
    const content = join(filesDir, 'handbook', 'content');
    expect(readdirSync(content).sort()).toEqual(['onboarding.txt', 'vpn.md']);
    // Staged uploads were moved into place, none left behind.
    expect(readdirSync(join(filesDir, 'handbook', 'staging'))).toEqual([]);

    const base = `${app.url}/api/kb/handbook/files/vpn.md`;
    expect((await bytesOf(`${base}/download`)).equals(Buffer.from(VPN_GUIDE))).toBe(true);
    expect((await bytesOf(`${base}/view`)).equals(Buffer.from(VPN_GUIDE))).toBe(true);

    // File chat: the conversation's temporary KB keeps its files there too.
    const chat = await sendMessage(app.url, 'files-dir', 'What is in this file?', [{ name: 'notes.md', bytes: ONBOARDING }]);
    expect(chat.status).toBe(200);
    const temp = app.core.kb.listKbs().find((kb) => kb.name !== 'handbook');
    expect(temp).toBeDefined();
    expect(readdirSync(join(filesDir, temp?.name ?? '', 'content'))).toEqual(['notes.md']);

    expect((await call(app.url, 'DELETE', '/api/kb/handbook/files/vpn.md')).status).toBe(200);
    expect(readdirSync(content)).toEqual(['onboarding.txt']);
    expect((await call(app.url, 'DELETE', '/api/kb/handbook')).status).toBe(204);
    expect(existsSync(join(filesDir, 'handbook'))).toBe(false);

    expect(existsSync(join(app.dataDir, 'kbs'))).toBe(false);
  });
});

(pg ? describe : describe.skip)('a files folder shared by replicas with their own data folders (PostgreSQL)', () => {
  const filesDir = mkdtempSync(join(tmpdir(), 'teamkb-files-'));
  let worker: TestApp;
  let web: TestApp;
  beforeAll(async () => {
    const env = { TEAMKB_DATABASE_URL: (pg as TestPostgres).newDatabase(), TEAMKB_FILES_DIR: filesDir };
    worker = await startTestApp({ env });
    web = await startTestApp({ env: { ...env, TEAMKB_ROLE: 'web' } });
  });
  afterAll(async () => {
    await web?.close();
    await worker?.close();
    rmSync(filesDir, { recursive: true, force: true });
    pg?.stop();
  });

  it('an upload staged by the web replica is run by the other process and downloads from either', async () => {
    expect(web.dataDir).not.toBe(worker.dataDir);
    // The KB is created where the vectors are: each process here has its own embedded store in its
    // own data folder (in production they share Milvus); only the sources are shared.
    expect((await call(worker.url, 'POST', '/api/kb', { name: 'handbook' })).status).toBe(201);
    const accepted = await upload(web.url, 'handbook', [{ name: 'vpn.md', bytes: VPN_GUIDE }]);
    expect(accepted.status).toBe(202);
    const done = (await followJob(web.url, accepted.body.events)).at(-1);
    expect(done?.summary).toMatchObject({ ingested: ['vpn.md'], failed: [] });
    expect(readFileSync(join(filesDir, 'handbook', 'content', 'vpn.md'), 'utf8')).toBe(VPN_GUIDE);
    for (const app of [web, worker]) {
      const got = await bytesOf(`${app.url}/api/kb/handbook/files/vpn.md/download`);
      expect(got.equals(Buffer.from(VPN_GUIDE))).toBe(true);
      expect(existsSync(join(app.dataDir, 'kbs'))).toBe(false);
    }
    expect((await call(worker.url, 'DELETE', '/api/kb/handbook')).status).toBe(204);
    expect(existsSync(join(filesDir, 'handbook'))).toBe(false);
  });
});
