import { readFileSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScriptedLlm } from '../../adapters/models/fake-llm.js';
import { createAnswerService } from '../../core/answering/answer-service.js';
import type { ChatMessage } from '../../core/llm.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { hasChromium, launchBrowser } from './helpers/browser.js';
import { corruptDocx, EXPENSES, ONBOARDING, VPN_GUIDE } from './helpers/corpus.js';
import { call, createKbWithFiles } from './helpers/http.js';

const SCREENSHOT = '/tmp/teamkb-web-chat.png';
const NARROW_SCREENSHOT = '/tmp/teamkb-web-chat-narrow.png';

function vpnAnswer(messages: ChatMessage[]): string {
  const passages = (messages.at(-1)?.content ?? '').split(/^(?=\[\d+\] \()/m);
  const n = passages.find((p) => p.includes('90 days'))?.match(/^\[(\d+)\]/)?.[1] ?? '1';
  return `Rotate the VPN key every 90 days [${n}]. The old key keeps working for 24 hours, so laptops can pick up the new one [${n}].`;
}

describe.skipIf(!hasChromium())('web chat in headless Chromium', () => {
  let app: TestApp;
  let browser: { context: BrowserContext; close: () => Promise<void> };
  let page: Page;
  beforeAll(async () => {
    app = await startTestApp({
      answers: (core) =>
        createAnswerService({
          kb: core.kb,
          llms: [{ name: 'scripted', llm: createScriptedLlm(vpnAnswer, { delayMsPerToken: 25 }) }],
          prompts: core.config.prompts,
          link: (kb, file) => `/api/kb/${encodeURIComponent(kb)}/files/${encodeURIComponent(file)}/download`,
        }),
    });
    await createKbWithFiles(app.url, 'archive', [{ name: 'onboarding.txt', bytes: ONBOARDING }]);
    await createKbWithFiles(app.url, 'handbook', [{ name: 'vpn.md', bytes: VPN_GUIDE }]);
    browser = await launchBrowser();
    page = await browser.context.newPage();
    page.on('dialog', (dialog) => void dialog.accept());
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('asks a KB question and shows the answer streaming in, with a clickable citation', async () => {
    await page.goto(app.url);
    await expect.poll(() => page.locator('#kb-select option').allTextContents()).toEqual(['archive', 'handbook']);
    await expect.poll(() => page.locator('#status').textContent()).toContain('LLM: scripted');
    await page.selectOption('#kb-select', 'handbook');
    await expect.poll(() => page.locator('#kb-files').textContent()).toContain('vpn.md');

    // Record every state of the answer text as it changes, to see it arrive piece by piece.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { seen: string[] }).seen = seen;
      new MutationObserver(() => {
        const body = document.querySelector('#messages .answer');
        if (body && seen.at(-1) !== body.textContent) seen.push(body.textContent ?? '');
      }).observe(document.getElementById('messages') as HTMLElement, { subtree: true, childList: true, characterData: true });
    });
    await page.fill('#question', 'How often do I rotate the VPN key?');
    await page.press('#question', 'Enter');

    const cite = page.locator('#messages a.cite').first();
    await cite.waitFor();
    const answer = page.locator('#messages .msg:not(.user)').last();
    expect(await answer.textContent()).toContain('Rotate the VPN key every 90 days');
    const seen = await page.evaluate(() => (window as unknown as { seen: string[] }).seen);
    expect(seen.filter((t) => t.startsWith('Rotate') && !t.includes('pick up')).length).toBeGreaterThan(3);

    expect(await cite.textContent()).toMatch(/^\[\d\]$/);
    const href = await cite.getAttribute('href');
    expect(href).toBe('/api/kb/handbook/files/vpn.md/download');
    expect(await page.locator('#messages .citations a').first().textContent()).toContain('vpn.md');
    expect(await answer.locator('.sources').textContent()).toBe('Sources: handbook');

    // The link opens a new tab whose only content is the download of the cited source.
    const downloaded = page.waitForEvent('download');
    await cite.click();
    const download = await downloaded;
    expect(download.suggestedFilename()).toBe('vpn.md');
    const path = await download.path();
    expect(readFileSync(path, 'utf8')).toBe(VPN_GUIDE);
  });

  it('uploads files through the form, shows progress and the summary, and deletes a file', async () => {
    await page.setInputFiles('#upload', [
      { name: 'expenses.txt', mimeType: 'text/plain', buffer: Buffer.from(EXPENSES) },
      { name: 'broken.docx', mimeType: 'application/octet-stream', buffer: corruptDocx() },
    ]);
    await page.click('#upload-form button[type=submit]');
    await expect
      .poll(() => page.locator('#progress').textContent(), { timeout: 20_000 })
      .toMatch(/^Done: 1 ingested, 0 unchanged, 1 failed \(broken\.docx: .{8,}\)\.$/);
    await expect.poll(() => page.locator('#kb-files').textContent()).toMatch(/expenses\.txt \(\d+ chunks?\)/);
    expect(await page.locator('#kb-files .bad').textContent()).toContain('broken.docx (failed)');

    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    await page.setViewportSize({ width: 420, height: 900 });
    await page.screenshot({ path: NARROW_SCREENSHOT, fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });

    await page.locator('#kb-files .file', { hasText: 'expenses.txt' }).getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => page.locator('#kb-files').textContent()).not.toContain('expenses.txt');
    const files = await call(app.url, 'GET', '/api/kb/handbook/files');
    expect(files.body.files.map((f: { name: string }) => f.name).sort()).toEqual(['broken.docx', 'vpn.md']);
  });

  it('creates a knowledge base from the form and selects it', async () => {
    await page.fill('#new-kb', 'team-notes');
    await page.click('#create-form button[type=submit]');
    await expect.poll(() => page.locator('#kb-select').inputValue()).toBe('team-notes');
    await expect.poll(() => page.locator('#kb-files').textContent()).toContain('No files yet.');
  });

  it('renders the API docs page', async () => {
    await page.goto(`${app.url}/docs`);
    await expect.poll(() => page.locator('body').textContent(), { timeout: 15_000 }).toContain('/v1/chat/completions');
  });
});

describe.skipIf(!hasChromium())('web chat with an API key', () => {
  const KEY = 'browser-secret';
  let app: TestApp;
  let browser: { context: BrowserContext; close: () => Promise<void> };
  beforeAll(async () => {
    app = await startTestApp({ apiKey: KEY });
    const auth = { authorization: `Bearer ${KEY}` };
    await call(app.url, 'POST', '/api/kb', { name: 'secret' }, auth);
    const form = new FormData();
    form.append('files', new Blob([VPN_GUIDE]), 'vpn.md');
    const accepted = await fetch(`${app.url}/api/kb/secret/files`, { method: 'POST', body: form, headers: auth });
    const { events } = (await accepted.json()) as { events: string };
    await (await fetch(`${app.url}${events}`, { headers: auth })).text();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('asks for the key, then lists files and downloads them with it', async () => {
    const page = await browser.context.newPage();
    await page.goto(app.url);
    await expect.poll(() => page.locator('#status').textContent()).toContain('API key');
    expect(await page.locator('details').getAttribute('open')).not.toBeNull();

    await page.fill('#api-key', KEY);
    await page.press('#api-key', 'Enter');
    await page.locator('#api-key').blur();
    await expect.poll(() => page.locator('#kb-files').textContent()).toContain('vpn.md');

    const downloaded = page.waitForEvent('download');
    await page.locator('#kb-files a', { hasText: 'vpn.md' }).click();
    const download = await downloaded;
    expect(download.suggestedFilename()).toBe('vpn.md');
    expect(readFileSync(await download.path(), 'utf8')).toBe(VPN_GUIDE);
  });
});
