import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeMilvusServer } from '../unit/stores/fake-milvus-grpc.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { call, createKbWithFiles } from './helpers/http.js';

/** Three ~500-character sections: the question matches the middle one, the answer sits in the next. */
const filler = (topic: string) =>
  Array.from({ length: 9 }, (_, i) => `The ${topic} note number ${i + 1} talks about routine office matters only.`).join(' ');
const DOC = [
  filler('canteen'),
  `${filler('archive')} Every quarter the security team holds the key ceremony in the basement vault.`,
  `The code word for that occasion is PELICAN, and it changes each time. ${filler('parking')}`,
].join('\n\n');

// The app with TEAMKB_STORE=milvus, its store talking gRPC (the real SDK) to a loopback Milvus.
describe('on Milvus: passage pages and neighbouring chunks', () => {
  let milvus: FakeMilvusServer;
  let app: TestApp;
  beforeAll(async () => {
    milvus = new FakeMilvusServer();
    await milvus.start();
    app = await startTestApp({ env: { TEAMKB_STORE: 'milvus', MILVUS_ADDRESS: milvus.address } });
    expect(app.core.kb.store.id).toBe('milvus');
    await createKbWithFiles(app.url, 'vault', [{ name: 'security.txt', bytes: DOC }]);
  });
  afterAll(async () => {
    await app?.close();
    await milvus?.stop();
  });

  it('cites the matched chunk and shows it with the next one, where the answer is', async () => {
    const { body } = await call(app.url, 'POST', '/api/kb/vault/search', {
      query: 'quarterly key ceremony basement vault security team',
      mode: 'bm25',
      top_k: 1,
    });
    const [hit] = body.hits;
    expect(hit.text).toContain('key ceremony');
    expect(hit.text).toContain('PELICAN');
    const queries = milvus.calls.filter((c) => c.method === 'Query').map((c) => String(c.req.expr));
    expect(queries.some((e) => /^file_id == ".+" and ordinal in \[\d+(, \d+)*\]$/.test(e))).toBe(true);
  });

  it('serves the passage page and its JSON from the Milvus store', async () => {
    const { body } = await call(app.url, 'POST', '/api/kb/vault/search', { query: 'code word PELICAN', mode: 'bm25', top_k: 1 });
    const chunk = body.hits[0].chunk_id;
    const passage = await call(app.url, 'GET', `/api/kb/vault/passages/${chunk}`);
    expect(passage.status).toBe(200);
    expect(passage.body).toMatchObject({ kb: 'vault', chunk_id: chunk, file: 'security.txt' });
    expect(passage.body.text).toContain('PELICAN');
    // The neighbouring chunks, read from Milvus by file and ordinal.
    expect(passage.body.before).toContain('archive note number');
    const page = await fetch(`${app.url}/kb/vault/passages/${chunk}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<mark id="passage" class="passage">[^<]*PELICAN/);
    expect((await call(app.url, 'GET', '/api/kb/vault/passages/no-such-chunk')).status).toBe(404);
  });
});
