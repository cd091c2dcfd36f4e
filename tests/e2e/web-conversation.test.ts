import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app.js';
import { askInPage, hasChromium, launchBrowser } from './helpers/browser.js';
import { messagesOf, pressButton, sendMessage } from './helpers/conversation.js';
import { EXPENSES, ONBOARDING, VPN_GUIDE } from './helpers/corpus.js';
import { call, createKbWithFiles } from './helpers/http.js';

/** A report generated per run, about something no KB in the app knows. */
const REPORT = `# Quarterly report

## Section 3: Lighthouse project

The Lighthouse project shipped the harbour sensor network in March. Sensor uptime reached 99.2 percent.
`;

const OVER_LIMIT = 64 * 1024;

/** No LLM is loaded: answers quote the best passages with citations (extractive mode). */
describe('web chat through the bot runtime', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ runtime: { rateLimitPerMinute: 0 }, maxUploadBytes: OVER_LIMIT });
    await createKbWithFiles(app.url, 'handbook', [{ name: 'vpn.md', bytes: VPN_GUIDE }]);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('answers a question about an attached file: progress first, then an answer citing that file', async () => {
    const { status, parts } = await sendMessage(app.url, 'files-1', 'What was the sensor uptime of the Lighthouse project?', [
      { name: 'report.md', bytes: REPORT },
    ]);
    expect(status).toBe(200);
    const events = parts.map((p) => p.event);
    const lastProgress = events.lastIndexOf('progress');
    expect(events.indexOf('progress')).toBeGreaterThanOrEqual(0);
    expect(events.indexOf('done')).toBeGreaterThan(lastProgress);
    expect(parts[lastProgress]?.data.progress.summary).toMatch(/^1 ingested/);

    const answer = parts.find((p) => p.event === 'done')?.data.answer;
    expect(answer.markdown).toContain('99.2 percent');
    expect(answer.citations[0].file).toBe('report.md');
    expect(answer.citations[0].url).toMatch(/^\/kb\/tmp-[0-9a-f]+\/passages\/[0-9a-f]+$/);
    // The files' owner reads the cited passage; nobody else learns it exists.
    const passage = await call(app.url, 'GET', `/api${answer.citations[0].url}`);
    expect(passage.body.text).toContain('99.2 percent');
    const stranger = { authorization: `Bearer ${app.access.keys.create('stranger', ['read']).key}` };
    const hidden = await call(app.url, 'GET', `/api${answer.citations[0].url}`, undefined, stranger);
    expect(hidden.status).toBe(404);
    expect(JSON.stringify(hidden.body)).not.toContain('tmp-');
    expect(answer.answerId).toEqual(expect.any(String));

    // The file stays with the conversation: a follow-up without attachments is answered from it.
    const followUp = await sendMessage(app.url, 'files-1', 'When did the harbour sensor network ship?');
    const next = followUp.parts.find((p) => p.event === 'done')?.data.answer;
    expect(next.citations.map((c: { file: string }) => c.file)).toContain('report.md');
    // …and only this conversation sees it: the temporary KB is not listed.
    expect(messagesOf((await sendMessage(app.url, 'files-1', '/kb list')).parts)).not.toContain('tmp-');

    const vote = await pressButton(app.url, 'files-1', 'feedback', `${answer.answerId}:up`);
    expect(messagesOf(vote.parts)).toContain('Thanks for the feedback');
  });

  it('runs /kb help and /kb list typed in the chat box', async () => {
    const help = await sendMessage(app.url, 'commands', '/kb help');
    expect(help.parts.map((p) => p.event)).toEqual(['message']);
    expect(messagesOf(help.parts)).toContain('**TeamKB commands**');
    expect(messagesOf(help.parts)).toContain('/kb upload');

    const list = messagesOf((await sendMessage(app.url, 'commands', '  /kb list')).parts);
    expect(list).toContain('**handbook**');
    expect(list).toContain('1 file');
  });

  it('binds the conversation with /kb use, then plain questions are answered from that KB', async () => {
    expect(messagesOf((await sendMessage(app.url, 'bound', '/kb use handbook')).parts)).toContain('answered from **handbook**');
    const { parts } = await sendMessage(app.url, 'bound', 'How often do I rotate the VPN key?');
    const answer = parts.find((p) => p.event === 'done')?.data.answer;
    expect(answer.sources).toEqual(['handbook']);
    expect(answer.citations[0].file).toBe('vpn.md');
  });

  it('uploads attachments with /kb upload and shows the ingest summary', async () => {
    const { parts } = await sendMessage(app.url, 'admin', '/kb upload handbook', [
      { name: 'expenses.txt', bytes: EXPENSES },
      { name: 'onboarding.txt', bytes: ONBOARDING },
    ]);
    expect(parts.some((p) => p.event === 'progress')).toBe(true);
    const summary = messagesOf(parts);
    expect(summary).toContain('Upload to handbook finished');
    expect(summary).toMatch(/Ingested \(2\): (expenses\.txt, onboarding\.txt|onboarding\.txt, expenses\.txt)/);
    const files = await call(app.url, 'GET', '/api/kb/handbook/files');
    expect(files.body.files.map((f: { name: string }) => f.name).sort()).toEqual(['expenses.txt', 'onboarding.txt', 'vpn.md']);
  });

  it('creates a KB, asks to confirm its deletion with buttons, and deletes it on confirm', async () => {
    expect(messagesOf((await sendMessage(app.url, 'admin', '/kb create scratch Notes for now')).parts)).toContain(
      'Created knowledge base **scratch**',
    );
    const asked = await sendMessage(app.url, 'admin', '/kb delete scratch');
    const prompt = asked.parts.find((p) => p.event === 'buttons')?.data;
    expect(prompt.markdown).toContain('Delete knowledge base **scratch**');
    const confirm = prompt.buttons.find((b: { action: string }) => b.action === 'confirm');
    expect((await call(app.url, 'GET', '/api/kb')).body.kbs.map((kb: { name: string }) => kb.name)).toContain('scratch');

    const done = await pressButton(app.url, 'admin', 'confirm', confirm.value);
    expect(messagesOf(done.parts)).toContain('Deleted knowledge base **scratch**');
    expect((await call(app.url, 'GET', '/api/kb')).body.kbs.map((kb: { name: string }) => kb.name)).not.toContain('scratch');
    const again = await pressButton(app.url, 'admin', 'confirm', confirm.value);
    expect(messagesOf(again.parts)).toContain('expired or was already used');
  });

  it('rejects bad conversation ids, bad actions and files over the upload limit', async () => {
    for (const id of ['has space', 'x'.repeat(65), 'dot.dot']) {
      const res = await sendMessage(app.url, id, 'hello');
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('INVALID_INPUT');
    }
    expect((await pressButton(app.url, 'ok', 'explode', 'x')).status).toBe(400);
    const big = await sendMessage(app.url, 'big', 'too big', [{ name: 'big.txt', bytes: 'a'.repeat(OVER_LIMIT + 1) }]);
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('FILE_TOO_LARGE');
  });

  it('keeps serving after a client goes away in the middle of a reply', async () => {
    const gone = new AbortController();
    const form = new FormData();
    form.append('text', 'summary please');
    form.append('files', new Blob([REPORT]), 'report.md');
    const res = await fetch(`${app.url}/api/conversations/gone/messages`, { method: 'POST', body: form, signal: gone.signal });
    await res.body?.getReader().read();
    gone.abort();
    const after = await sendMessage(app.url, 'gone', '/kb help');
    expect(messagesOf(after.parts)).toContain('**TeamKB commands**');
  });

  it('documents the conversation routes in the OpenAPI spec', async () => {
    const spec = (await call(app.url, 'GET', '/openapi.json')).body;
    const messages = spec.paths['/api/conversations/{id}/messages'].post;
    expect(Object.keys(messages.requestBody.content).sort()).toEqual(['application/json', 'multipart/form-data']);
    expect(
      spec.paths['/api/conversations/{id}/actions'].post.requestBody.content['application/json'].schema.properties.action.enum,
    ).toEqual(['feedback', 'confirm', 'cancel']);
  });
});

describe.skipIf(!hasChromium())('web chat conversation in headless Chromium', () => {
  let app: TestApp;
  let browser: { context: BrowserContext; close: () => Promise<void> };
  let page: Page;
  beforeAll(async () => {
    app = await startTestApp({ runtime: true });
    await createKbWithFiles(app.url, 'handbook', [{ name: 'vpn.md', bytes: VPN_GUIDE }]);
    browser = await launchBrowser();
    page = await browser.context.newPage();
    await page.goto(app.url);
    await page.locator('#kb-select option').first().waitFor({ state: 'attached' });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('attaches a file and asks about it: progress, then an answer citing the file, with feedback buttons', async () => {
    await page.setInputFiles('#attach', [{ name: 'report.md', mimeType: 'text/markdown', buffer: Buffer.from(REPORT) }]);
    expect(await page.locator('#attached .chip').textContent()).toContain('report.md');
    const answer = await askInPage(page, 'What was the sensor uptime of the Lighthouse project?');
    await answer.locator('.meta .sources').waitFor();
    expect(await answer.locator('.progress').textContent()).toMatch(/^Done: 1 ingested/);
    expect(await answer.locator('.answer').first().textContent()).toContain('99.2 percent');
    expect(await answer.locator('a.cite').first().getAttribute('href')).toMatch(/^\/kb\/tmp-[0-9a-f]+\/passages\//);
    // The shared file's passage opens beside the chat, as a KB passage does.
    await answer.locator('a.cite').first().click();
    await expect.poll(() => page.locator('#passage-panel mark.passage').textContent()).toContain('99.2 percent');
    expect(await page.locator('#passage-file').textContent()).toBe('report.md');
    await page.click('#passage-close');
    expect(await answer.locator('.citations a').first().textContent()).toContain('report.md');
    expect(await answer.locator('.meta .sources').textContent()).toBe('Sources: the attached files');
    expect(await page.locator('#attached').isHidden()).toBe(true);
    expect(await page.locator('#mode').inputValue()).toBe('conversation');

    await answer.getByRole('button', { name: 'Helpful', exact: true }).click();
    await expect.poll(() => answer.locator('.vote-note').textContent()).toContain('Thanks for the feedback');
    expect(await answer.locator('.vote-up').getAttribute('aria-pressed')).toBe('true');
    await page.screenshot({ path: '/tmp/teamkb-web-chat-file-chat.png' });
  });

  it('runs /kb commands typed in the box, and confirms a deletion with a button', async () => {
    const help = await askInPage(page, '/kb help');
    await expect.poll(() => help.locator('.reply-message strong').first().textContent()).toBe('TeamKB commands');

    await (await askInPage(page, '/kb create scratch')).locator('.reply-message').waitFor();
    const prompt = await askInPage(page, '/kb delete scratch');
    await prompt.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => prompt.locator('.action-reply').textContent()).toContain('Deleted knowledge base scratch');
    expect(await prompt.getByRole('button', { name: 'Cancel' }).isDisabled()).toBe(true);
    await page.screenshot({ path: '/tmp/teamkb-web-chat-commands.png' });
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: '/tmp/teamkb-web-chat-commands-narrow.png' });
    await page.setViewportSize({ width: 1280, height: 800 });
  });
});
