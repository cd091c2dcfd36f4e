import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePdf } from '../unit/loaders/make-files.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { call, createKbWithFiles } from './helpers/http.js';

/** A guide long enough for many chunks; the cited one sits in the middle, among neighbours. */
const paragraphs = Array.from(
  { length: 12 },
  (_, i) => `Step ${i + 1} of the setup: configure part ${i + 1} carefully, then check the log for part ${i + 1}.`,
);
paragraphs[6] = 'The gateway token rotates every 45 days; use `/kb use <kb>` and List<String> in the <b>console</b>.';
const GUIDE = `# Setup guide\n\n## Gateway\n\n${paragraphs.join('\n\n')}\n`;

describe('passage pages: the cited passage in its surrounding text', () => {
  let app: TestApp;
  let guideChunk: string;
  let pdfChunk: string;
  beforeAll(async () => {
    app = await startTestApp({ configure: (c) => Object.assign(c.kb, { chunkSize: 200, chunkOverlap: 40 }) });
    const pdf = await makePdf([
      ['Cover page of the manual.'],
      ['Badge readers are on page two.'],
      ['The quarterly fire drill is on page three.'],
    ]);
    await createKbWithFiles(app.url, 'handbook', [
      { name: 'guide.md', bytes: GUIDE },
      { name: 'manual.pdf', bytes: pdf },
    ]);
    const hits = async (q: string) =>
      (await call(app.url, 'POST', '/api/kb/handbook/search', { query: q, mode: 'bm25' })).body.hits;
    guideChunk = (await hits('gateway token rotates 45 days'))[0].chunk_id;
    pdfChunk = (await hits('quarterly fire drill'))[0].chunk_id;
  });
  afterAll(async () => {
    await app?.close();
  });

  it('serves the passage page: highlighted passage, neighbours, file, section, links; no inline script or style', async () => {
    const res = await fetch(`${app.url}/kb/handbook/passages/${guideChunk}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await res.text();
    const mark = /<mark id="passage" class="passage">([\s\S]*?)<\/mark>/.exec(html)?.[1] ?? '';
    // Literal angle brackets in the text are shown as text, never as markup.
    expect(mark).toContain(
      'The gateway token rotates every 45 days; use /kb use &lt;kb&gt; and List&lt;String&gt; in the console.',
    );
    expect(mark).not.toContain('Step 6');
    const before = /<span class="before">([\s\S]*?)<\/span>/.exec(html)?.[1] ?? '';
    const after = /<span class="after">([\s\S]*?)<\/span>/.exec(html)?.[1] ?? '';
    expect(before).toContain('Step 6 of the setup');
    expect(after).toContain('Step 8 of the setup');
    expect(html).toContain('<h1 class="file">guide.md</h1>');
    expect(html).toContain('Setup guide &gt; Gateway');
    expect(html).toContain('href="/api/kb/handbook/files/guide.md/view"');
    expect(html).toContain('href="/api/kb/handbook/files/guide.md/download"');
    expect(html).not.toMatch(/<script|<style|\sstyle=|\son\w+=/i);
  });

  it('gives the web chat the same passage as JSON, and a PDF passage its page', async () => {
    const { status, body } = await call(app.url, 'GET', `/api/kb/handbook/passages/${pdfChunk}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ kb: 'handbook', chunk_id: pdfChunk, file: 'manual.pdf', page: 3 });
    expect(body.text).toContain('quarterly fire drill');
    expect(body.open_url).toBe('/api/kb/handbook/files/manual.pdf/view#page=3');
    expect(body.page_url).toBe(`/kb/handbook/passages/${pdfChunk}`);
    const page = await (await fetch(`${app.url}${body.page_url}`)).text();
    expect(page).toContain('href="/api/kb/handbook/files/manual.pdf/view#page=3"');
    expect(page).toContain('page 3');
  });

  it('opens the original inline (PDF as PDF, text as plain text); the download stays an attachment', async () => {
    const pdf = await fetch(`${app.url}/api/kb/handbook/files/manual.pdf/view`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toBe("inline; filename*=UTF-8''manual.pdf");
    expect((await pdf.arrayBuffer()).byteLength).toBeGreaterThan(100);
    const md = await fetch(`${app.url}/api/kb/handbook/files/guide.md/view`);
    expect(md.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(md.headers.get('content-disposition')).toMatch(/^inline;/);
    expect(await md.text()).toBe(GUIDE);
    const download = await fetch(`${app.url}/api/kb/handbook/files/manual.pdf/download`);
    expect(download.headers.get('content-disposition')).toBe("attachment; filename*=UTF-8''manual.pdf");
  });

  it('answers 404 naming nothing for an unknown passage, a passage asked under another KB, or a removed file', async () => {
    await createKbWithFiles(app.url, 'secret-plans', [{ name: 'plans.md', bytes: '# Plans\n\nNothing to see.' }]);
    for (const path of [
      '/api/kb/handbook/passages/no-such-chunk',
      `/api/kb/secret-plans/passages/${guideChunk}`,
      `/api/kb/nowhere/passages/${guideChunk}`,
    ]) {
      const { status, body } = await call(app.url, 'GET', path);
      expect(status, path).toBe(404);
      expect(body.error.code).toBe('PASSAGE_NOT_FOUND');
      expect(JSON.stringify(body)).not.toMatch(/handbook|secret-plans|nowhere/);
    }
    const page = await fetch(`${app.url}/kb/nowhere/passages/${guideChunk}`);
    expect(page.status).toBe(404);
    expect(await page.text()).not.toContain('nowhere');
    expect((await call(app.url, 'DELETE', '/api/kb/handbook/files/manual.pdf')).status).toBe(200);
    expect((await call(app.url, 'GET', `/api/kb/handbook/passages/${pdfChunk}`)).status).toBe(404);
  });
});
