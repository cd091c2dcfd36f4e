import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app.js';
import { hasChromium, launchBrowser } from './helpers/browser.js';

describe.skipIf(!hasChromium())('web console in a browser set up in Chinese or English', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('speaks Simplified Chinese to a browser set up in Chinese, before anything is picked', async () => {
    const zh = await launchBrowser({ locale: 'zh-CN' });
    try {
      const zhPage = await zh.context.newPage();
      await zhPage.goto(app.url);
      expect(await zhPage.evaluate(() => navigator.languages[0])).toBe('zh-CN');
      await expect.poll(() => zhPage.locator('#ask').textContent()).toBe('提问');
      expect(await zhPage.locator('html').getAttribute('lang')).toBe('zh-CN');
      expect(await zhPage.locator('#reset').textContent()).toBe('新建会话');
      expect(await zhPage.locator('#lang-select').inputValue()).toBe('zh');
    } finally {
      await zh.close();
    }
  });

  it('speaks English to a browser set up in English', async () => {
    const en = await launchBrowser({ locale: 'en-US' });
    try {
      const enPage = await en.context.newPage();
      await enPage.goto(app.url);
      await expect.poll(() => enPage.locator('#ask').textContent()).toBe('Ask');
      expect(await enPage.locator('html').getAttribute('lang')).toBe('en');
    } finally {
      await en.close();
    }
  });
});
