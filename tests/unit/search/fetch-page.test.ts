import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterEach, describe, expect, it } from 'vitest';
import { createPageFetcher } from '../../../adapters/search/fetch-page.js';
import { TeamKbError } from '../../../core/errors.js';
import { decodeHtml } from '../../../core/web/decode-html.js';
import { sharedFixture } from '../../helpers/shared.js';
import { type LoopbackServer, sendHtml, startLoopbackServer } from './loopback-server.js';
import { characterSimilarity } from './text-similarity.js';

let server: LoopbackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const ARTICLE = [
  '北京时间今天上午，国务院新闻办公室举行新闻发布会，介绍今年前三季度国民经济运行情况。',
  '发言人表示，前三季度经济运行总体平稳，就业形势基本稳定，居民消费价格温和上涨。',
  '下一步将继续实施积极的财政政策和稳健的货币政策，保持流动性合理充裕，促进经济持续健康发展。',
].join('');

function gbkPage(withMeta: boolean): Buffer {
  const meta = withMeta ? '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">' : '';
  const html = `<!DOCTYPE html><html><head>${meta}<title>国新办发布会_新闻中心</title></head><body>
<nav><a href="/">首页</a> | <a href="/news">新闻</a> | <a href="/sports">体育</a></nav>
<article><h1>国新办举行发布会</h1><p>${ARTICLE}</p><p>${ARTICLE}</p></article>
<footer>版权所有 © 示例新闻网</footer></body></html>`;
  return iconv.encode(html, 'gbk');
}

describe('page decoding', () => {
  it.each([
    ['with a charset header', 'text/html; charset=GBK', false],
    ['with only a <meta> charset', 'text/html', true],
    ['with no declaration at all', 'text/html', false],
  ])('reads a GBK page %s', async (_label, contentType, withMeta) => {
    server = await startLoopbackServer((_req, res) => sendHtml(res, gbkPage(withMeta), contentType));
    const page = await createPageFetcher({ allowLoopback: true })(`${server.url}/news/1.html`);
    expect(page.title).toContain('国新办');
    expect(page.text).toContain('前三季度经济运行总体平稳');
    expect(page.text).not.toContain('首页');
  });

  it('prefers valid UTF-8 over a wrong gb2312 declaration', () => {
    const bytes = Buffer.from(`<html><head><meta charset="gb2312"></head><body><p>${ARTICLE}</p></body></html>`, 'utf8');
    const decoded = decodeHtml(bytes, 'text/html; charset=gb2312');
    expect(decoded.text).toContain('国务院新闻办公室');
    expect(decoded.charset).toBe('utf-8');
    expect(decoded.declared).toBe('gb2312');
  });

  it('reads plain text pages whole', async () => {
    server = await startLoopbackServer((_req, res) => sendHtml(res, 'Release notes\nVersion 2 rotates keys.', 'text/plain'));
    const page = await createPageFetcher({ allowLoopback: true })(`${server.url}/notes.txt`);
    expect(page).toEqual({
      url: `${server.url}/notes.txt`,
      title: 'Release notes',
      text: 'Release notes\nVersion 2 rotates keys.',
    });
  });
});

describe('readable text of real Chinese news pages', () => {
  const root = sharedFixture('docs/html', 'readable-text comparison on Chinese news pages');
  const pages = ['gmw', 'qq', 'pixnet'];

  it.skipIf(!root).each(pages)('%s matches the expected article text (similarity ≥ 0.9)', async (name) => {
    const dir = join(root as string, name);
    const source = readFileSync(join(dir, 'source.html'));
    const expected = readFileSync(join(dir, 'expected.txt'), 'utf8');
    // Served without a charset header, so the page's own declaration (wrong for qq) is all there is.
    server = await startLoopbackServer((_req, res) => sendHtml(res, source, 'text/html'));
    const page = await createPageFetcher({ allowLoopback: true })(`${server.url}/${name}.html`);
    expect(page.title.length).toBeGreaterThan(0);
    expect(characterSimilarity(page.text, expected)).toBeGreaterThanOrEqual(0.9);
  });
});

describe('robots.txt and caching', () => {
  it('skips disallowed pages only when asked to respect robots.txt', async () => {
    server = await startLoopbackServer((req, res) => {
      if (req.url.pathname === '/robots.txt') return sendHtml(res, 'User-agent: *\nDisallow: /private/\n', 'text/plain');
      sendHtml(res, '<html><body><p>Open page with enough words to be the article body of this page.</p></body></html>');
    });
    const polite = createPageFetcher({ allowLoopback: true, respectRobots: true });
    const err = await polite(`${server.url}/private/a.html`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TeamKbError);
    expect((err as TeamKbError).message).toMatch(/robots\.txt of 127\.0\.0\.1:\d+ does not allow fetching \/private\/a\.html/);
    expect((await polite(`${server.url}/public.html`)).text).toContain('Open page');
    expect((await createPageFetcher({ allowLoopback: true })(`${server.url}/private/a.html`)).text).toContain('Open page');
  });

  it('reuses a fetched page within the TTL and not when the cache is off', async () => {
    server = await startLoopbackServer((_req, res) => sendHtml(res, '<p>cached body text</p>'));
    const cached = createPageFetcher({ allowLoopback: true, cacheTtlMs: 60_000 });
    await cached(`${server.url}/a`);
    await cached(`${server.url}/a`);
    expect(server.requests).toHaveLength(1);
    const uncached = createPageFetcher({ allowLoopback: true, cacheTtlMs: 0 });
    await uncached(`${server.url}/a`);
    await uncached(`${server.url}/a`);
    expect(server.requests).toHaveLength(3);
  });
});
