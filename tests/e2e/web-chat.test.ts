import { readFileSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScriptedLlm } from '../../adapters/models/fake-llm.js';
import { citationLinkFor } from '../../bots/app-services.js';
import { createAnswerService } from '../../core/answering/answer-service.js';
import type { ChatMessage } from '../../core/llm.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { askInPage, hasChromium, launchBrowser, renderMarkdownInPage } from './helpers/browser.js';
import { corruptDocx, EXPENSES, ONBOARDING, VPN_GUIDE } from './helpers/corpus.js';
import { call, createKbWithFiles, readSse } from './helpers/http.js';

/** Screenshots to look at after a run: /tmp/teamkb-web-chat-<name>.png */
const shot = (name: string) => `/tmp/teamkb-web-chat-${name}.png`;

const MARKDOWN_ANSWER = `### Rotating the key

Rotate it **every 90 days** and keep the *old* one for \`24h\`:

- open the admin console
- choose **Network**

\`\`\`sh
vpnctl rotate --keep 24h
\`\`\`

> Laptops pick up the new key by themselves.

More in [the guide](https://example.com/vpn).`;

const CHINESE_ANSWER = `### 轮换 VPN 密钥

每 **90 天**轮换一次密钥。旧密钥在 24 小时内仍然有效，笔记本电脑会自动获取新密钥。

1. 打开管理控制台
2. 选择“网络”，然后点击“轮换密钥”`;

const HOSTILE_ANSWER = `Careful: <script>window.owned = 'script'</script> <img src="x" onerror="window.owned = 'img'"> [click](javascript:window.owned=1) **still bold**`;

const LONG_ANSWER = Array.from({ length: 400 }, (_, i) => `word${i}`).join(' ');

/** The scripted model: canned answers by keyword, else a cited answer from the KB passages it was given. */
function scriptedAnswer(messages: ChatMessage[]): string {
  const last = messages.at(-1)?.content ?? '';
  if (last.includes('markdown please')) return MARKDOWN_ANSWER;
  if (last.includes('chinese please')) return CHINESE_ANSWER;
  if (last.includes('hostile please')) return HOSTILE_ANSWER;
  if (last.includes('long please')) return LONG_ANSWER;
  const passages = last.split(/^(?=\[\d+\] \()/m);
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
          llms: [{ name: 'scripted', llm: createScriptedLlm(scriptedAnswer, { delayMsPerToken: 25 }) }],
          prompts: core.config.prompts,
          link: citationLinkFor(core.config),
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
    const answer = await askInPage(page, 'How often do I rotate the VPN key?');
    const cite = answer.locator('a.cite').first();
    await cite.waitFor();
    expect(await answer.textContent()).toContain('Rotate the VPN key every 90 days');
    const seen = await page.evaluate(() => (window as unknown as { seen: string[] }).seen);
    expect(seen.filter((t) => t.startsWith('Rotate') && !t.includes('pick up')).length).toBeGreaterThan(3);

    expect(await cite.textContent()).toMatch(/^\[\d\]$/);
    expect(await cite.getAttribute('href')).toMatch(/^\/kb\/handbook\/passages\/[0-9a-f]+$/);
    expect(await cite.evaluate((node) => node.parentElement?.tagName)).toBe('SUP');
    expect(await page.locator('#messages .citations a').first().textContent()).toContain('vpn.md');
    expect(await answer.locator('.meta .model').textContent()).toBe('Model: scripted');
    expect(await answer.locator('.meta .sources').textContent()).toBe('Sources: handbook');

    await cite.click(); // the passage opens beside the chat: web-passage-panel.test.ts has the rest
    await expect.poll(() => page.locator('#passage-panel mark.passage').textContent()).toContain('90 days');
    await page.click('#passage-close');
  });

  it('renders tables, nested lists, unfinished code blocks and escapes, and keeps unsafe links as text', async () => {
    const cases: Array<[string, string]> = [
      [
        '| a | b |\n|---|--:|\n| 1 | **2** |',
        '<div class="table-wrap"><table><thead><tr><th>a</th><th style="text-align: right;">b</th></tr></thead>' +
          '<tbody><tr><td>1</td><td style="text-align: right;"><strong>2</strong></td></tr></tbody></table></div>',
      ],
      ['- a\n  - b\n- c', '<ul><li>a<ul><li>b</li></ul></li><li>c</li></ul>'],
      ['Steps:\n2. first\n3. second', '<p>Steps:</p><ol start="2"><li>first</li><li>second</li></ol>'],
      ['```vpnconf\nlet a = 1 < 2;', '<pre><code class="language-vpnconf">let a = 1 &lt; 2;</code></pre>'],
      ['snake_case_name, \\*stars\\* and ~~old~~', '<p>snake_case_name, *stars* and <del>old</del></p>'],
      ['[x](javascript:alert(1)) [y](/relative) <b>b</b>', '<p>[x](javascript:alert(1)) y &lt;b&gt;b&lt;/b&gt;</p>'],
      ['> quoted [1]\n> — vpn.md', '<blockquote><p>quoted [1]<br>— vpn.md</p></blockquote>'],
    ];
    const rendered = await renderMarkdownInPage(
      page,
      cases.map(([text]) => text),
    );
    expect(rendered).toEqual(cases.map(([, html]) => html));
  });

  it('renders a markdown answer: heading, bold, list, code block, quote and link; other modes turn the KB picker off', async () => {
    expect(await page.locator('#mode option').allTextContents()).toContain('Web search');
    await page.selectOption('#mode', 'llm');
    expect(await page.locator('#kb-select').isDisabled()).toBe(true);

    const answer = await askInPage(page, 'Show me some markdown please');
    await answer.locator('.meta .model').waitFor();
    const body = answer.locator('.answer');
    expect(await body.locator('h4').textContent()).toBe('Rotating the key');
    expect(await body.locator('strong').allTextContents()).toEqual(['every 90 days', 'Network']);
    expect(await body.locator('em').textContent()).toBe('old');
    expect(await body.locator('p > code').textContent()).toBe('24h');
    expect(await body.locator('ul > li').allTextContents()).toEqual(['open the admin console', 'choose Network']);
    expect(await body.locator('pre > code.language-sh').textContent()).toBe('vpnctl rotate --keep 24h');
    expect(await body.locator('blockquote').textContent()).toBe('Laptops pick up the new key by themselves.');
    const link = body.locator('a', { hasText: 'the guide' });
    expect(await link.getAttribute('href')).toBe('https://example.com/vpn');
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
    expect(await body.textContent()).not.toMatch(/\*\*|```|###/);
    expect(await answer.locator('.meta .model').textContent()).toBe('Model: scripted');
    expect(await answer.locator('.meta .sources').textContent()).toBe("Sources: the model's own knowledge");
  });

  it('renders a Chinese answer in the Chinese font stack, wide and narrow', async () => {
    const answer = await askInPage(page, 'chinese please');
    await answer.locator('.meta .model').waitFor();
    const body = answer.locator('.answer');
    expect(await body.getAttribute('lang')).toBe('zh-CN');
    expect(await body.locator('strong').textContent()).toBe('90 天');
    expect(await body.locator('ol > li').count()).toBe(2);
    const font = await body.evaluate((node) => getComputedStyle(node).fontFamily);
    expect(font.split(',')[0]).toContain('PingFang SC');

    await page.screenshot({ path: shot('answers') });
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.locator('#messages').evaluate((box) => box.scrollTo(0, box.scrollHeight));
    await page.screenshot({ path: shot('answers-narrow') });
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('shows model output containing HTML as text and never runs it', async () => {
    const answer = await askInPage(page, 'hostile please');
    await answer.locator('.meta .model').waitFor();
    const body = answer.locator('.answer');
    const text = await body.textContent();
    expect(text).toContain(`<script>window.owned = 'script'</script>`);
    expect(text).toContain(`<img src="x" onerror="window.owned = 'img'">`);
    expect(await body.locator('script, img, a').count()).toBe(0);
    expect(await body.locator('strong').textContent()).toBe('still bold');
    expect(await page.evaluate(() => (window as { owned?: unknown }).owned)).toBeUndefined();
  });

  it('shows the queue position while the model is busy, and Stop ends an answer', async () => {
    const busy = new AbortController();
    const res = await fetch(`${app.url}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ mode: 'llm', question: 'long please' }),
      signal: busy.signal,
    });
    for await (const event of readSse(res)) if (event.event === 'text') break;

    const queued = await askInPage(page, 'markdown please');
    await expect.poll(() => queued.locator('.status').textContent()).toBe('Waiting for the model (position 1)…');
    expect(await page.locator('#stop').isVisible()).toBe(true);
    expect(await page.locator('#ask').isVisible()).toBe(false);
    await page.screenshot({ path: shot('waiting') });
    busy.abort();
    await queued.locator('.meta .model').waitFor();
    expect(await queued.locator('pre').count()).toBe(1);

    const long = await askInPage(page, 'long please');
    await expect.poll(() => long.locator('.answer').textContent()).toMatch(/\bword5\b/);
    await page.click('#stop');
    await expect.poll(() => long.locator('.status').textContent()).toBe('Stopped.');
    expect(await long.locator('.answer').textContent()).not.toContain('word399');
    expect(await page.locator('#ask').isVisible()).toBe(true);
    await expect.poll(async () => (await call(app.url, 'GET', '/api/status')).body).toMatchObject({ running: 0, queued: 0 });
  });

  it('uploads files through the form, shows progress and the summary, and deletes a file', async () => {
    await page.setInputFiles('#upload', [
      { name: 'expenses.txt', mimeType: 'text/plain', buffer: Buffer.from(EXPENSES) },
      { name: 'broken.docx', mimeType: 'application/octet-stream', buffer: corruptDocx() },
    ]);
    await page.click('#upload-form button[type=submit]');
    await expect
      .poll(() => page.locator('#progress .upload-summary').textContent(), { timeout: 20_000 })
      .toBe('Done: 1 ingested, 0 unchanged, 1 failed.');
    // Each file has its own line: its upload bar, then what the ingest did with it.
    expect(await page.locator('#progress .upload-row', { hasText: 'expenses.txt' }).textContent()).toContain('done');
    expect(await page.locator('#progress .upload-row', { hasText: 'broken.docx' }).textContent()).toMatch(/failed: .{8,}/);
    expect(
      await page.locator('#progress progress').evaluateAll((bars) => bars.map((b) => (b as HTMLProgressElement).value)),
    ).toEqual([1, 1]);
    await expect.poll(() => page.locator('#kb-files').textContent()).toMatch(/expenses\.txt \(\d+ chunks?\)/);
    expect(await page.locator('#kb-files .bad').textContent()).toContain('broken.docx (failed)');

    await page.screenshot({ path: shot('wide'), fullPage: true });
    await page.setViewportSize({ width: 420, height: 900 });
    await page.screenshot({ path: shot('narrow'), fullPage: true });
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

    // No model is loaded: the answer quotes the best passage, each with its citation.
    const answer = await askInPage(page, 'How often do I rotate the VPN key?');
    await answer.locator('.meta .model').waitFor();
    expect(await answer.locator('.meta .model').textContent()).toBe('No model loaded: the best passages, quoted');
    expect(await answer.locator('blockquote').first().textContent()).toContain('Rotate the VPN key every 90 days');
    // The panel reads the passage with the key, which a plain link could not send.
    await answer.locator('blockquote a.cite').first().click();
    await expect.poll(() => page.locator('#passage-panel mark.passage').textContent()).toContain('90 days');
    await page.screenshot({ path: shot('extractive') });
  });
});
