import type { BrowserContext, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePdf } from '../unit/loaders/make-files.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { hasChromium, launchBrowser } from './helpers/browser.js';
import { call, createKbWithFiles } from './helpers/http.js';

/** Chromium's built-in PDF viewer (an extension frame inside the tab). */
const PDF_VIEWER = 'chrome-extension://mhjfbmdgcfjbbpaeojofohoefgiehjai/';

/** What the viewer's toolbar shows: the document title, the current page and the page count. */
async function viewerState(frame: Frame): Promise<{ title: string; page: string; pages: string }> {
  // A string, so the test runner does not rewrite it; the toolbar lives in nested shadow roots.
  return frame.evaluate(`(() => {
    const toolbar = document.querySelector('pdf-viewer')?.shadowRoot?.querySelector('viewer-toolbar')?.shadowRoot;
    const selector = toolbar?.querySelector('viewer-page-selector')?.shadowRoot;
    return {
      title: toolbar?.querySelector('#title')?.textContent?.trim() ?? '',
      page: selector?.querySelector('input')?.value ?? '',
      pages: (selector?.textContent ?? '').replace(/[^0-9]/g, ''),
    };
  })()`);
}

/** The viewer frame of a tab, once Chromium has put it there. */
async function viewerOf(page: Page): Promise<Frame> {
  await expect
    .poll(() => page.frames().some((f) => f.url().startsWith(PDF_VIEWER)), {
      message: 'Chromium did not open its PDF viewer in the tab',
      timeout: 15_000,
    })
    .toBe(true);
  return page.frames().find((f) => f.url().startsWith(PDF_VIEWER)) as Frame;
}

/**
 * The headers as the server sends them. (Chromium hands a PDF navigation to its viewer and then
 * reports its own headers for it, keeping only frame-ancestors of the policy, so they are read
 * here rather than from the browser.)
 */
async function expectInlinePdf(url: string): Promise<void> {
  const res = await fetch(url);
  await res.arrayBuffer();
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/pdf');
  expect(res.headers.get('content-disposition')).toBe("inline; filename*=UTF-8''manual.pdf");
  // The page-wide policy's object-src 'none' blocks PDF plugins in browsers that apply it to PDFs.
  expect(res.headers.get('content-security-policy')).toBe("frame-ancestors 'none'");
}

describe.skipIf(!hasChromium())('a PDF citation opens inline in Chromium at the cited page', () => {
  let app: TestApp;
  let browser: { context: BrowserContext; close: () => Promise<void> };
  let chunk: string;
  const downloads: string[] = [];
  beforeAll(async () => {
    app = await startTestApp();
    const pdf = await makePdf([
      ['Cover page of the manual.'],
      ['Badge readers are on page two.'],
      ['The quarterly fire drill is on page three.'],
    ]);
    await createKbWithFiles(app.url, 'handbook', [{ name: 'manual.pdf', bytes: pdf }]);
    const { body } = await call(app.url, 'POST', '/api/kb/handbook/search', { query: 'quarterly fire drill', mode: 'bm25' });
    chunk = body.hits[0].chunk_id;
    browser = await launchBrowser();
    browser.context.on('page', (p) => p.on('download', (d) => downloads.push(d.suggestedFilename())));
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('shows the file in the built-in viewer at #page=3, with nothing downloaded', async () => {
    const page = await browser.context.newPage();
    const url = `${app.url}/api/kb/handbook/files/manual.pdf/view`;
    await expectInlinePdf(url);
    // A download instead of a page would make goto throw ("Download is starting").
    const res = await page.goto(`${url}#page=3`);
    expect(res?.status()).toBe(200);
    expect(res?.headers()['content-type']).toBe('application/pdf');
    const viewer = await viewerOf(page);
    // The viewer counts the pages only once it has loaded the document itself.
    await expect.poll(() => viewerState(viewer), { timeout: 15_000 }).toEqual({ title: 'manual.pdf', page: '3', pages: '3' });
    expect(downloads).toEqual([]);
    await page.close();
  });

  it('opens it from the passage page link in a new tab, at the passage page', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${app.url}/kb/handbook/passages/${chunk}`);
    const link = page.locator('a.open');
    expect(await link.textContent()).toBe('Open manual.pdf at page 3');
    const [tab] = await Promise.all([browser.context.waitForEvent('page'), link.click()]);
    const viewer = await viewerOf(tab);
    expect(tab.url()).toBe(`${app.url}/api/kb/handbook/files/manual.pdf/view#page=3`);
    await expect.poll(() => viewerState(viewer), { timeout: 15_000 }).toEqual({ title: 'manual.pdf', page: '3', pages: '3' });
    expect(downloads).toEqual([]);
    await Promise.all([tab.close(), page.close()]);
  });
});
