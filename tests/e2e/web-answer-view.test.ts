import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScriptedLlm } from '../../adapters/models/fake-llm.js';
import { createAnswerService } from '../../core/answering/answer-service.js';
import type { ChatMessage } from '../../core/llm.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { askInPage, hasChromium, launchBrowser } from './helpers/browser.js';

const CODE = `// Greets someone <b>by name</b>
const greet = (name: string): string => \`<script>window.owned = 'code'</script>\${name}\`;
export default greet;`;
const CODE_ANSWER = `In TypeScript:\n\n\`\`\`ts\n${CODE}\n\`\`\`\n\nThat is all.`;

const LONG_ANSWER = Array.from({ length: 400 }, (_, i) => `word${i}`).join(' ');

/** The scripted model: code, a long answer, or a short one. */
function scriptedAnswer(messages: ChatMessage[]): string {
  const last = messages.at(-1)?.content ?? '';
  if (last.includes('code please')) return CODE_ANSWER;
  if (last.includes('long please')) return LONG_ANSWER;
  return 'A **short** answer.';
}

describe.skipIf(!hasChromium())('an answer as the web console shows it: coloured code, scrolling', () => {
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
        }),
    });
    browser = await launchBrowser();
    page = await browser.context.newPage();
    await page.goto(app.url);
    await page.selectOption('#mode', 'llm');
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('colours fenced code in a streamed answer with spans, keeping markup inside the code as text', async () => {
    const answer = await askInPage(page, 'some code please');
    await answer.locator('.meta .model').waitFor();
    const code = answer.locator('.answer pre > code.language-ts');
    await expect.poll(() => code.locator('span.hljs-keyword').allTextContents()).toEqual(['const', 'export', 'default']);
    expect(await code.locator('span.hljs-string').first().textContent()).toContain('<script>');
    expect(await code.locator('span.hljs-comment').textContent()).toBe('// Greets someone <b>by name</b>');
    expect(await code.textContent()).toBe(CODE);
    expect(await answer.locator('.answer script, .answer b').count()).toBe(0);
    expect(await page.evaluate(() => (window as { owned?: unknown }).owned)).toBeUndefined();
    const colour = (selector: string) =>
      code
        .locator(selector)
        .first()
        .evaluate((node) => getComputedStyle(node).color);
    expect(await colour('.hljs-keyword')).not.toBe(await colour('.hljs-string'));

    // Rendered once the highlighter is there: coloured at once, with the same text.
    const html = await page.evaluate<string>(`import('/code-highlight.js')
      .then((m) => m.highlighterReady())
      .then(() => import('/markdown.js'))
      .then(({ renderMarkdown }) => {
        const box = document.createElement('div');
        box.append(renderMarkdown('\`\`\`TS\\nlet a: number = 1 < 2;\\n\`\`\`'));
        return box.innerHTML;
      })`);
    expect(html).toBe(
      '<pre><code class="language-TS hljs"><span class="hljs-keyword">let</span> ' +
        '<span class="hljs-attr">a</span>: <span class="hljs-built_in">number</span> = ' +
        '<span class="hljs-number">1</span> &lt; <span class="hljs-number">2</span>;</code></pre>',
    );
  });

  it('follows a streaming answer, stops following once the reader scrolls up, and always shows a new question', async () => {
    await page.click('#reset');
    await page.setViewportSize({ width: 390, height: 700 });
    const messages = page.locator('#messages');
    const where = () =>
      messages.evaluate((box) => ({
        top: box.scrollTop,
        height: box.scrollHeight,
        overflow: box.scrollHeight - box.clientHeight,
        fromEnd: box.scrollHeight - box.clientHeight - box.scrollTop,
      }));
    const long = await askInPage(page, 'long please');
    // Following: the answer has grown well past the screen, and the view is still at its end.
    await expect
      .poll(
        async () => {
          const w = await where();
          return w.overflow > 150 && w.fromEnd < 2;
        },
        { timeout: 20_000 },
      )
      .toBe(true);

    // Scrolled up to read: the answer keeps growing, the view stays where the reader put it.
    await messages.evaluate((box) => box.scrollTo(0, 0));
    await messages.dispatchEvent('scroll');
    const before = await where();
    await expect.poll(async () => (await where()).height, { timeout: 20_000 }).toBeGreaterThan(before.height + 100);
    expect((await where()).top).toBe(0);
    await page.click('#stop');
    await expect.poll(() => long.locator('.status').textContent()).toBe('Stopped.');

    // A new question is shown however far up the reader was.
    await messages.evaluate((box) => box.scrollTo(0, 0));
    await askInPage(page, 'short please');
    const question = page.locator('#messages .msg.user').last();
    await expect.poll(() => question.textContent()).toBe('short please');
    const inView = await question.evaluate((node) => {
      const box = node.closest('#messages')?.getBoundingClientRect();
      const r = node.getBoundingClientRect();
      return box !== undefined && r.top >= box.top && r.bottom <= box.bottom;
    });
    expect(inView).toBe(true);
    await page.locator('#messages .msg.bot').last().locator('.meta .model').waitFor();
    await page.setViewportSize({ width: 1280, height: 800 });
  });
});
