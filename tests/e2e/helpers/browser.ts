import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** True when Debian's chromium is installed; otherwise prints why browser tests are skipped. */
export function hasChromium(): boolean {
  if (existsSync(CHROMIUM)) return true;
  console.warn(`[notice] skipping web chat browser tests: ${CHROMIUM} not found (apt-get install -y chromium)`);
  return false;
}

/**
 * Headless Chromium with a fresh profile, no network chatter of its own. `locale` sets the
 * browser's language (navigator.languages and Accept-Language), as a browser set up in it would.
 */
export async function launchBrowser(
  opts: { locale?: string } = {},
): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'teamkb-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 800 },
    locale: opts.locale,
    args: [
      ...(opts.locale ? [`--lang=${opts.locale}`] : []),
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Types a question into the web chat and returns the answer it starts (already in the page). */
export async function askInPage(page: Page, question: string): Promise<Locator> {
  const before = await page.locator('#messages .msg.bot').count();
  await page.fill('#question', question);
  await page.press('#question', 'Enter');
  const answer = page.locator('#messages .msg.bot').nth(before);
  await answer.waitFor();
  return answer;
}

/** The HTML that the web chat's markdown renderer makes of each text, rendered in the page. */
export async function renderMarkdownInPage(page: Page, texts: string[]): Promise<string[]> {
  // Passed as a string, so the test runner does not rewrite the browser's import().
  return page.evaluate<string[]>(`import('/markdown.js').then(({ renderMarkdown }) => ${JSON.stringify(texts)}.map((text) => {
    const box = document.createElement('div');
    box.append(renderMarkdown(text));
    return box.innerHTML;
  }))`);
}
