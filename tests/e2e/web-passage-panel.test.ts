import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScriptedLlm } from '../../adapters/models/fake-llm.js';
import { citationLinkFor } from '../../bots/app-services.js';
import { createAnswerService } from '../../core/answering/answer-service.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { askInPage, hasChromium, launchBrowser } from './helpers/browser.js';
import { VPN_GUIDE } from './helpers/corpus.js';
import { createKbWithFiles } from './helpers/http.js';

describe.skipIf(!hasChromium())('web chat: a citation opens its passage in a side panel', () => {
  let app: TestApp;
  let browser: { context: BrowserContext; close: () => Promise<void> };
  let page: Page;
  beforeAll(async () => {
    app = await startTestApp({
      answers: (core) =>
        createAnswerService({
          kb: core.kb,
          llms: [{ name: 'scripted', llm: createScriptedLlm(() => 'Rotate the VPN key every 90 days [1].') }],
          prompts: core.config.prompts,
          link: citationLinkFor(core.config),
        }),
    });
    await createKbWithFiles(app.url, 'handbook', [{ name: 'vpn.md', bytes: VPN_GUIDE }]);
    browser = await launchBrowser();
    page = await browser.context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('shows the passage highlighted, with its file, place and links; nothing downloads, no tab opens', async () => {
    await page.goto(app.url);
    await expect.poll(() => page.locator('#kb-select option').allTextContents()).toEqual(['handbook']);
    const answer = await askInPage(page, 'How often do I rotate the VPN key?');
    const cite = answer.locator('a.cite').first();
    await cite.waitFor();
    const href = (await cite.getAttribute('href')) ?? '';
    expect(href).toMatch(/^\/kb\/handbook\/passages\/[0-9a-f]+$/);

    let downloads = 0;
    page.on('download', () => downloads++);
    const tabs = page.context().pages().length;
    await cite.click();
    const panel = page.locator('#passage-panel');
    await panel.waitFor({ state: 'visible' });
    await expect.poll(() => panel.locator('mark.passage').textContent()).toContain('90 days');
    expect(await panel.locator('#passage-file').textContent()).toBe('vpn.md');
    expect(await panel.locator('#passage-where').textContent()).toBe('handbook · VPN guide > Rotating the VPN key');
    expect(await panel.locator('#passage-open').getAttribute('href')).toBe('/api/kb/handbook/files/vpn.md/view');
    expect(await panel.locator('#passage-page').getAttribute('href')).toBe(href);
    expect(await page.locator('#kbs').isVisible()).toBe(false);
    expect(page.context().pages()).toHaveLength(tabs);
    await page.screenshot({ path: '/tmp/teamkb-web-chat-passage-panel.png' });

    // Close brings the knowledge-base column back; the sources list opens the same panel; Escape closes it.
    await page.click('#passage-close');
    await panel.waitFor({ state: 'hidden' });
    expect(await page.locator('#kbs').isVisible()).toBe(true);
    await answer.locator('.citations a').first().click();
    await panel.waitFor({ state: 'visible' });
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'hidden' });
    expect(downloads).toBe(0);
  });

  it('renders the passage page itself (new tab, chat apps) under the CSP without errors', async () => {
    const answer = await askInPage(page, 'VPN key?');
    await answer.locator('a.cite').first().waitFor();
    const href = (await answer.locator('a.cite').first().getAttribute('href')) ?? '';
    const tab = await page.context().newPage();
    const errors: string[] = [];
    tab.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await tab.goto(`${app.url}${href}`);
    const mark = tab.locator('mark#passage');
    expect(await mark.textContent()).toContain('90 days');
    expect(await mark.evaluate((n) => getComputedStyle(n).backgroundColor)).toBe('rgb(255, 242, 168)');
    expect(await tab.locator('a.open').getAttribute('href')).toBe('/api/kb/handbook/files/vpn.md/view');
    expect(errors).toEqual([]);
    await tab.close();
  });
});
