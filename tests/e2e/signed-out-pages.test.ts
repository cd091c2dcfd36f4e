import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app.js';

/** What Chromium and Firefox send when the user opens a link. */
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';
const PAGES = ['/kb/handbook/passages/some-chunk', '/api/kb/handbook/files/manual.pdf/view', '/api/kb'];

describe('signed-out browsers get a sign-in page, API clients keep JSON (same 401)', () => {
  let remote: TestApp;
  let keyed: TestApp;
  beforeAll(async () => {
    [remote, keyed] = await Promise.all([startTestApp(), startTestApp({ apiKey: 'signed-out-test-key' })]);
  });
  afterAll(async () => {
    await Promise.all([remote?.close(), keyed?.close()]);
  });

  it('explains /kb web and the local browser to a signed-out browser elsewhere on the network', async () => {
    for (const url of PAGES) {
      const res = await remote.server.inject({
        method: 'GET',
        url,
        remoteAddress: '192.168.1.20',
        headers: { accept: BROWSER_ACCEPT },
      });
      expect(res.statusCode, url).toBe(401);
      expect(res.headers['content-type'], url).toBe('text/html; charset=utf-8');
      expect(res.headers.vary, url).toMatch(/Accept/i);
      expect(String(res.headers['content-security-policy']), url).toContain("script-src 'self'");
      expect(res.body).toContain('<h1>Sign in to see this page</h1>');
      expect(res.body).toContain('<code>/kb web</code>');
      expect(res.body).toContain('on the machine it runs on');
      expect(res.body).not.toMatch(/<script|<style|\sstyle=|\son[a-z]+=/i);
    }
  });

  it('names the API key and the web console when TEAMKB_API_KEY is set', async () => {
    const res = await fetch(`${keyed.url}${PAGES[0]}`, { headers: { accept: BROWSER_ACCEPT } });
    expect(res.status).toBe(401);
    const html = await res.text();
    expect(html).toContain('<code>/kb web</code>');
    expect(html).toContain('<code>TEAMKB_API_KEY</code>');
    expect(html).toContain('Authorization: Bearer &lt;key&gt;');
    // A wrong key from a browser tab gets the same page, saying the key was wrong.
    const wrong = await fetch(`${keyed.url}${PAGES[1]}`, { headers: { accept: BROWSER_ACCEPT, authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('Wrong or revoked API key');
  });

  it('keeps the JSON error for scripts, fetch() and clients that ask for JSON', async () => {
    for (const accept of [undefined, '*/*', 'application/json', 'application/json, text/html;q=0.5', 'text/html;q=0']) {
      for (const url of PAGES) {
        const res = await fetch(`${keyed.url}${url}`, { headers: accept ? { accept } : {} });
        expect(res.status, `${url} ${accept}`).toBe(401);
        expect(res.headers.get('content-type'), `${url} ${accept}`).toContain('application/json');
        expect((await res.json()).error).toMatchObject({
          code: 'PERMISSION_DENIED',
          message: expect.stringContaining('API key'),
        });
      }
    }
  });
});
