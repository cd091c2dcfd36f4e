import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { VPN_GUIDE } from './helpers/corpus.js';
import { call, createKbWithFiles } from './helpers/http.js';

/** The whole app with TEAMKB_DATABASE_URL set: every piece of state goes to PostgreSQL, none to SQLite. */
const pg: TestPostgres | undefined = await startTestPostgres('the app-on-PostgreSQL tests');

(pg ? describe : describe.skip)('the app on PostgreSQL state', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    const env = { TEAMKB_DATABASE_URL: (pg as TestPostgres).newDatabase() };
    a = await startTestApp({ env, runtime: { rateLimitPerMinute: 0 } });
    // A web replica: the ingest queue's jobs run in a, whose data folder holds the sources.
    b = await startTestApp({ env: { ...env, TEAMKB_ROLE: 'web' }, runtime: { rateLimitPerMinute: 0 } });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    pg?.stop();
  });

  it('ingests and searches with the registry and jobs in PostgreSQL, leaving no SQLite file', async () => {
    const summary = await createKbWithFiles(a.url, 'handbook', [{ name: 'vpn.md', bytes: VPN_GUIDE }]);
    expect(summary.ingested).toEqual(['vpn.md']);
    const hits = await call(a.url, 'POST', '/api/kb/handbook/search', { query: 'rotate the VPN key' });
    expect(hits.status).toBe(200);
    expect(JSON.stringify(hits.body)).toContain('vpn.md');
    expect(a.core.db.dialect).toBe('postgres');
    expect(existsSync(join(a.dataDir, 'teamkb.sqlite'))).toBe(false);
  });

  it('a second app on the same database sees the same KBs, files, jobs and API keys', async () => {
    const kbs = (await call(b.url, 'GET', '/api/kb')).body;
    expect(JSON.stringify(kbs)).toContain('handbook');
    const filesA = (await call(a.url, 'GET', '/api/kb/handbook/files')).body;
    expect((await call(b.url, 'GET', '/api/kb/handbook/files')).body).toEqual(filesA);
    const jobsA = (await call(a.url, 'GET', '/api/jobs')).body.jobs;
    expect(jobsA.length).toBeGreaterThan(0);
    expect((await call(b.url, 'GET', '/api/jobs')).body.jobs).toEqual(jobsA);
    const { key } = a.access.keys.create('shared-key', ['read']);
    expect(b.access.keys.authenticate(key)).toMatchObject({ kind: 'key', name: 'shared-key' });
  });
});
