import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app.js';
import { hasChromium, launchBrowser } from './helpers/browser.js';
import { call, createKbWithFiles, followJob, upload } from './helpers/http.js';

describe.skipIf(!hasChromium())("the web console's file list of a large KB", () => {
  let app: TestApp;
  let browser: { context: BrowserContext; close: () => Promise<void> };
  let page: Page;
  beforeAll(async () => {
    app = await startTestApp();
    browser = await launchBrowser();
    page = await browser.context.newPage();
    await page.goto(app.url);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('pages and filters a KB of 56 files through the server, 20 at a time', async () => {
    const many = Array.from({ length: 56 }, (_, i) => ({
      name: `note-${String(i + 1).padStart(2, '0')}.txt`,
      bytes: `Note number ${i + 1}.`,
    }));
    // One upload takes at most 50 files.
    await createKbWithFiles(app.url, 'many', many.slice(0, 30));
    await followJob(app.url, (await upload(app.url, 'many', many.slice(30))).body.events);
    const asked: string[] = [];
    const listed = (request: { url: () => string }) => {
      if (request.url().includes('/api/kb/many/files')) asked.push(new URL(request.url()).search);
    };
    page.on('request', listed);
    try {
      await page.reload();
      await page.locator('#panel-kb option[value="many"]').waitFor({ state: 'attached' });
      await page.selectOption('#panel-kb', 'many');
      const names = () => page.locator('#kb-files .file a').allTextContents();
      await expect.poll(names).toEqual(many.slice(0, 20).map((f) => `${f.name} (1 chunk)`));
      expect(await page.locator('#kb-files .pager').textContent()).toContain('Page 1 of 3');
      await page.locator('#kb-files .pager button', { hasText: 'Next' }).click();
      await page.locator('#kb-files .pager button', { hasText: 'Next' }).click();
      await expect.poll(names).toEqual(many.slice(40).map((f) => `${f.name} (1 chunk)`));
      expect(await page.locator('#kb-files .pager').textContent()).toContain('Page 3 of 3');

      await page.fill('#kb-files .file-filter', 'note-4');
      await expect.poll(names).toEqual(many.slice(39, 49).map((f) => `${f.name} (1 chunk)`));
      expect(await page.locator('#kb-files .pager').textContent()).toBe('10 files');
      expect(await page.evaluate(() => document.activeElement?.className)).toBe('file-filter');
      // Every list the console asked for was one page, and the filter was applied by the server.
      expect(asked.length).toBeGreaterThanOrEqual(4);
      for (const search of asked) expect(new URLSearchParams(search).get('limit')).toBe('20');
      expect(asked.map((search) => new URLSearchParams(search).get('offset'))).toContain('40');
      expect(asked.at(-1)).toContain('q=note-4');
    } finally {
      page.off('request', listed);
      await call(app.url, 'DELETE', '/api/kb/many');
    }
  });
});
