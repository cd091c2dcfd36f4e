import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScriptedLlm } from '../../adapters/models/fake-llm.js';
import { createAnswerService } from '../../core/answering/answer-service.js';
import type { ChatMessage } from '../../core/llm.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { askInPage, hasChromium, launchBrowser } from './helpers/browser.js';
import { EXPENSES, VPN_GUIDE } from './helpers/corpus.js';
import { call, createKbWithFiles } from './helpers/http.js';

/** Screenshots of the main screens; `npm run screenshots` copies them to docs/screenshots. */
export const SCREENSHOT_DIR = join(tmpdir(), 'teamkb-screenshots');
const shot = (name: string) => join(SCREENSHOT_DIR, `${name}.png`);

function scriptedAnswer(messages: ChatMessage[]): string {
  const last = messages.at(-1)?.content ?? '';
  const n =
    last
      .split(/^(?=\[\d+\] \()/m)
      .find((p) => p.includes('90 days'))
      ?.match(/^\[(\d+)\]/)?.[1] ?? '1';
  return `Rotate the VPN key **every 90 days** [${n}]. The old key keeps working for 24 hours [${n}].`;
}

/** axe-core's browser script, when the package is installed (a dev dependency). */
function axeSource(): string | undefined {
  try {
    return readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  } catch {
    console.warn('[notice] axe-core is not installed (npm install): the accessibility scan is skipped');
    return undefined;
  }
}

const background = (page: Page, selector: string) =>
  page.locator(selector).evaluate((node) => getComputedStyle(node).backgroundColor);
type Box = { left: number; right: number; top: number; bottom: number };
/** Rough lightness 0–255 of an rgb() colour. */
const lightness = (rgb: string) => {
  const [r = 0, g = 0, b = 0] = (rgb.match(/\d+/g) ?? []).map(Number);
  return (r + g + b) / 3;
};

describe.skipIf(!hasChromium())('web console in headless Chromium', () => {
  let app: TestApp;
  let browser: { context: BrowserContext; close: () => Promise<void> };
  let page: Page;
  beforeAll(async () => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    app = await startTestApp({
      answers: (core) =>
        createAnswerService({
          kb: core.kb,
          llms: [{ name: 'scripted', llm: createScriptedLlm(scriptedAnswer, { delayMsPerToken: 5 }) }],
          prompts: core.config.prompts,
          link: (kb, file) => `/api/kb/${encodeURIComponent(kb)}/files/${encodeURIComponent(file)}/download`,
        }),
    });
    await createKbWithFiles(app.url, 'archive', [{ name: 'expenses.txt', bytes: EXPENSES }]);
    await createKbWithFiles(app.url, 'handbook', [{ name: 'vpn.md', bytes: VPN_GUIDE }]);
    browser = await launchBrowser();
    page = await browser.context.newPage();
    page.on('dialog', (dialog) => void dialog.accept(dialog.type() === 'prompt' ? 'VPN rotation' : undefined));
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('keeps a conversation across a reload: questions, answers, mode and KB; listed, renamed and deleted in the sidebar', async () => {
    await page.goto(app.url);
    await expect.poll(() => page.locator('#kb-select option').allTextContents()).toEqual(['archive', 'handbook']);
    await page.selectOption('#kb-select', 'handbook');
    const answer = await askInPage(page, 'How often do I rotate the VPN key?');
    await answer.locator('.answer-actions').waitFor();
    expect(await answer.locator('.took').textContent()).toMatch(/^\d+\.\d s$/);
    expect(await answer.locator('.meta').textContent()).toContain('Model: scripted');
    await expect
      .poll(() => page.locator('#conversation-list .conversation-open').allTextContents())
      .toEqual(['How often do I rotate the VPN key?']);

    // 👎 with a comment reaches the KB's feedback list.
    await answer.getByRole('button', { name: 'Not helpful' }).click();
    await answer.locator('.vote-comment input').fill('Says nothing about laptops');
    await answer.locator('.vote-comment button').click();
    await expect
      .poll(async () => (await call(app.url, 'GET', '/api/kb/handbook/feedback')).body.feedback[0]?.comment)
      .toBe('Says nothing about laptops');
    await page.screenshot({ path: shot('chat'), fullPage: true });

    await page.selectOption('#mode', 'llm');
    await page.reload();
    await expect
      .poll(() => page.locator('#messages .msg.user').allTextContents())
      .toEqual(['How often do I rotate the VPN key?']);
    expect(await page.locator('#messages .answer').textContent()).toContain('every 90 days');
    expect(await page.locator('#mode').inputValue()).toBe('kb');
    expect(await page.locator('#kb-select').inputValue()).toBe('handbook');
    expect(await page.locator('#messages .vote-down').getAttribute('aria-pressed')).toBe('true');
    expect(await page.locator('#conversation-list [aria-current="true"]').textContent()).toBe(
      'How often do I rotate the VPN key?',
    );

    await page.click('#reset');
    expect(await page.locator('#messages .msg').count()).toBe(0);
    await page.locator('#conversation-list .conversation-open').first().click();
    await expect.poll(() => page.locator('#messages .msg.user').count()).toBe(1);

    await page.locator('#conversation-list .rename').first().click();
    await expect.poll(() => page.locator('#conversation-list .conversation-open').allTextContents()).toEqual(['VPN rotation']);
    await page.fill('#conversation-search', 'nothing like this');
    await expect.poll(() => page.locator('#conversation-list .conversation').count()).toBe(0);
    await page.fill('#conversation-search', '');
    await expect.poll(() => page.locator('#conversation-list .conversation').count()).toBe(1);
    await page.locator('#conversation-list .delete').first().click();
    await expect.poll(() => page.locator('#conversation-list .conversation').count()).toBe(0);
    expect((await call(app.url, 'GET', '/api/conversations')).body.conversations).toEqual([]);
  });

  it('regenerates an answer in place, keeps one answer for the question, and keeps its place after a reload', async () => {
    await page.click('#reset');
    await page.selectOption('#mode', 'kb');
    const answer = await askInPage(page, 'Rotate the VPN key how often?');
    await answer.locator('.answer-actions').waitFor();
    const later = await askInPage(page, 'And the old key?');
    await later.locator('.answer-actions').waitFor();
    const first = (await call(app.url, 'GET', '/api/conversations')).body.conversations[0].id;
    const turns = async () => (await call(app.url, 'GET', `/api/conversations/${first}`)).body.turns;
    const replaced = (await turns())[0].answer.answerId;
    await answer.getByRole('button', { name: 'Regenerate' }).click();
    await expect.poll(async () => (await turns())[0]?.answer.answerId).not.toBe(replaced);
    await answer.locator('.answer-actions').waitFor();
    expect((await turns()).map((t: { question: string }) => t.question)).toEqual([
      'Rotate the VPN key how often?',
      'And the old key?',
    ]);
    expect(await page.locator('#messages .msg.bot').count()).toBe(2);
    // After a reload the regenerated answer is still where the replaced one was.
    await page.reload();
    await expect
      .poll(() => page.locator('#messages .msg').evaluateAll((nodes) => nodes.map((n) => n.className)))
      .toEqual(['msg user', 'msg bot', 'msg user', 'msg bot']);
    expect(await page.locator('#messages .msg.user').allTextContents()).toEqual([
      'Rotate the VPN key how often?',
      'And the old key?',
    ]);
  });

  it('creates a KB with the name checked inline, uploads, browses chunks, test-searches and deletes it', async () => {
    await page.fill('#new-kb', '-scratch');
    const problem = (await call(app.url, 'POST', '/api/kb', { name: '-scratch' })).body.error.message;
    await expect.poll(() => page.locator('#new-kb-problem').textContent()).toBe(problem);
    expect(await page.locator('#new-kb').getAttribute('aria-invalid')).toBe('true');
    await page.fill('#new-kb', 'scratch');
    await expect.poll(() => page.locator('#new-kb-problem').textContent()).toBe('');
    await page.click('#create-form button[type=submit]');
    await expect.poll(() => page.locator('#panel-kb').inputValue()).toBe('scratch');

    await page.setInputFiles('#upload', [{ name: 'vpn.md', mimeType: 'text/markdown', buffer: Buffer.from(VPN_GUIDE) }]);
    await page.click('#upload-form button[type=submit]');
    await expect.poll(() => page.locator('#progress .upload-row').textContent(), { timeout: 20_000 }).toContain('done');
    await expect.poll(() => page.locator('#kb-files').textContent()).toMatch(/vpn\.md \(\d+ chunks?\)/);

    await page.click('#manage-kb');
    await page.locator('#kb-admin[open]').waitFor();
    await page.getByRole('tab', { name: 'Chunks' }).click();
    await expect.poll(() => page.locator('#kb-admin .chunk-text').first().textContent()).toContain('90 days');
    expect(await page.locator('#kb-admin .chunk-where').first().textContent()).toMatch(/^Chunk 1 of \d+/);

    await page.getByRole('tab', { name: 'Test search' }).click();
    await page.fill('#test-query', 'rotate VPN key');
    await page.click('#kb-admin .search-form button');
    await expect.poll(() => page.locator('#kb-admin .search-column h3').allTextContents()).toEqual(['bm25', 'dense', 'hybrid']);
    for (const mode of ['bm25', 'dense', 'hybrid']) {
      expect(await page.locator(`#kb-admin .mode-${mode} .hit-score`).first().textContent()).toMatch(/^\d\.\d{3} · vpn\.md/);
    }
    await page.screenshot({ path: shot('test-search'), fullPage: true });

    await page.getByRole('tab', { name: 'Settings' }).click();
    await page.locator('#kb-admin textarea').fill('Scratch space');
    await page.locator('#kb-admin .admin-form button[type=submit]').click();
    await expect
      .poll(
        async () =>
          (await call(app.url, 'GET', '/api/kb')).body.kbs.find((k: { name: string }) => k.name === 'scratch')?.description,
      )
      .toBe('Scratch space');
    await page.locator('#kb-admin button.danger').click();
    await expect.poll(() => page.locator('#panel-kb option').allTextContents()).toEqual(['archive', 'handbook']);
    expect(await page.locator('#kb-admin').getAttribute('open')).toBeNull();
  });

  it('switches to Simplified Chinese and remembers it', async () => {
    await page.selectOption('#lang-select', 'zh');
    expect(await page.locator('#reset').textContent()).toBe('新建会话');
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await page.reload();
    await expect.poll(() => page.locator('#ask').textContent()).toBe('提问');
    expect(await page.locator('#question').getAttribute('placeholder')).toContain('Enter 发送');
    await page.screenshot({ path: shot('chat-zh'), fullPage: true });
    await page.selectOption('#lang-select', 'en');
    expect(await page.locator('#ask').textContent()).toBe('Ask');
  });

  it('follows the system dark setting and can be switched', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(lightness(await background(page, '#messages'))).toBeLessThan(80);
    await page.selectOption('#theme-select', 'light');
    expect(lightness(await background(page, '#messages'))).toBeGreaterThan(200);
    await page.emulateMedia({ colorScheme: 'light' });
    await page.selectOption('#theme-select', 'dark');
    await page.reload();
    await page.locator('#kb-select option').first().waitFor({ state: 'attached' });
    expect(lightness(await background(page, 'body'))).toBeLessThan(80);
    await page.screenshot({ path: shot('dark'), fullPage: true });
    await page.selectOption('#theme-select', 'system');
    expect(lightness(await background(page, 'body'))).toBeGreaterThan(200);
  });

  it('fits a 390 px phone: nothing wider than the screen, sidebar behind a button, keys work', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await page.locator('#kb-select option').first().waitFor({ state: 'attached' });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await page.locator('#sidebar').isVisible()).toBe(false);
    await page.click('#toggle-sidebar');
    expect(await page.locator('#sidebar').isVisible()).toBe(true);
    await page.click('#toggle-sidebar');
    const box = await page.locator('#question').boundingBox();
    expect((box?.x ?? 0) + (box?.width ?? 999)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: shot('phone'), fullPage: false });

    // An upload's row: name, bar and state side by side, none over another, all on the screen.
    await page.selectOption('#panel-kb', 'handbook');
    await page.setInputFiles('#upload', [
      { name: 'a-rather-long-file-name-for-a-phone.md', mimeType: 'text/markdown', buffer: Buffer.from(VPN_GUIDE) },
    ]);
    await page.click('#upload-form button[type=submit]');
    const row = page.locator('#progress .upload-row');
    await expect.poll(() => row.locator('.upload-state').textContent(), { timeout: 20_000 }).toBe('done');
    await row.scrollIntoViewIfNeeded();
    await page.screenshot({ path: shot('phone-upload'), fullPage: false });
    const [whole, ...parts] = await row.evaluate((node) =>
      [node, ...node.children].map((child) => child.getBoundingClientRect().toJSON() as Box),
    );
    expect(parts).toHaveLength(3);
    const overlap = (a: Box, b: Box) =>
      a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
    parts.forEach((part, i) => {
      expect(part.left).toBeGreaterThanOrEqual((whole?.left ?? 0) - 0.5);
      expect(part.right).toBeLessThanOrEqual(Math.min(whole?.right ?? 0, 390) + 0.5);
      for (const other of parts.slice(i + 1)) expect(overlap(part, other), `upload row part ${i}`).toBe(false);
    });

    // "/" focuses the question; Shift+Enter is a new line, not a send.
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('question');
    await page.keyboard.type('one');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('two');
    expect(await page.locator('#question').inputValue()).toBe('one\ntwo');
    await page.fill('#question', '');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('has no serious or critical accessibility violations (axe-core)', async () => {
    const source = axeSource();
    if (!source) return;
    for (const theme of ['light', 'dark']) {
      await page.selectOption('#theme-select', theme);
      await page.evaluate(source);
      const violations = await page.evaluate(async () => {
        const axe = (
          window as unknown as {
            axe: { run: () => Promise<{ violations: Array<{ id: string; impact: string; nodes: unknown[] }> }> };
          }
        ).axe;
        const result = await axe.run();
        return result.violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => `${v.id}: ${JSON.stringify(v.nodes.map((n) => (n as { target: unknown }).target))}`);
      });
      expect(violations, theme).toEqual([]);
    }
    await page.selectOption('#theme-select', 'system');
  });

  it('wrote the screenshots', () => {
    for (const name of ['chat', 'test-search', 'chat-zh', 'dark', 'phone']) expect(existsSync(shot(name))).toBe(true);
  });
});
