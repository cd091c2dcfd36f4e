import { afterEach, describe, expect, it } from 'vitest';
import { createPageFetcher } from '../../../adapters/search/fetch-page.js';
import { SearxngEngine } from '../../../adapters/search/searxng.js';
import { webRetrieve } from '../../../adapters/search/web-retrieve.js';
import type { Embedder } from '../../../core/embedder.js';
import { TeamKbError } from '../../../core/errors.js';
import { createLogger } from '../../../core/logger.js';
import type { SearchEngine, WebResult } from '../../../core/search-engine.js';
import { type LoopbackServer, sendHtml, sendJson, startLoopbackServer } from './loopback-server.js';

const servers: LoopbackServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const RESULTS: WebResult[] = [
  { title: 'VPN 手册', url: 'https://a.example/vpn', snippet: 'VPN 密钥轮换步骤概述。' },
  { title: '食堂菜单', url: 'https://b.example/menu', snippet: '本周食堂菜单。' },
  { title: 'Key rotation FAQ', url: 'https://c.example/faq', snippet: 'Rotate the VPN key every 90 days.' },
];

const PAGES: Record<string, { title: string; text: string }> = {
  'https://a.example/vpn': {
    title: 'VPN 手册',
    text: '第一章 安装客户端。下载客户端并登录公司账号。\n\n第二章 轮换密钥。VPN 密钥每九十天轮换一次：在管理后台点击“轮换 VPN 密钥”，然后重启客户端。',
  },
  'https://b.example/menu': { title: '食堂菜单', text: '周一：米饭、青菜、红烧肉。周二：面条、鸡蛋汤。' },
  'https://c.example/faq': {
    title: 'Key rotation FAQ',
    text: 'How do I rotate the VPN key? Open the admin console and press Rotate.',
  },
};

function engine(id: string, answer: WebResult[] | Error): SearchEngine & { calls: number } {
  return {
    id,
    calls: 0,
    async search(_q: string, n: number) {
      this.calls++;
      if (answer instanceof Error) throw answer;
      return answer.slice(0, n);
    },
  };
}

const fakeFetch = async (url: string) => {
  const page = PAGES[url];
  if (!page) throw new TeamKbError('FETCH_FAILED', `no page at ${url}`);
  return page;
};

describe('webRetrieve', () => {
  it('returns the passages that answer the question first, with sources and 0..1 scores', async () => {
    const { passages, results, warnings } = await webRetrieve('如何轮换 VPN 密钥', {
      engines: [engine('fake', RESULTS)],
      fetchPage: fakeFetch,
    });
    expect(results).toEqual(RESULTS);
    expect(warnings).toEqual([]);
    expect(passages[0]?.url).toBe('https://a.example/vpn');
    expect(passages[0]?.text).toContain('每九十天轮换一次');
    expect(passages[0]?.title).toBe('VPN 手册');
    for (const p of passages) expect(p.score).toBeGreaterThanOrEqual(0);
    for (const p of passages) expect(p.score).toBeLessThanOrEqual(1);
    const menu = passages.find((p) => p.url === 'https://b.example/menu');
    expect(menu?.score ?? 0).toBeLessThan(passages[0]?.score ?? 0);
  });

  it('moves on when the first engine fails, and says which one failed', async () => {
    const broken = engine('searxng', new TeamKbError('SEARCH_FAILED', 'SearXNG search failed: HTTP 502'));
    const working = engine('duckduckgo', RESULTS);
    const logged: unknown[] = [];
    const logger = { warn: (obj: Record<string, unknown>) => logged.push(obj) };
    const { passages, warnings } = await webRetrieve('rotate VPN key', {
      engines: [broken, working],
      fetchPage: fakeFetch,
      logger,
    });
    expect(logged).toEqual([{ warnings }]);
    // The project's pino logger fits the logger slot.
    await webRetrieve('rotate VPN key', { engines: [working], fetchPage: fakeFetch, logger: createLogger('silent') });
    expect(passages.length).toBeGreaterThan(0);
    expect(warnings).toEqual(['searxng: SearXNG search failed: HTTP 502']);
  });

  it('merges engines when asked, without repeating a URL', async () => {
    const other = engine('other', [RESULTS[2]!, { title: 'New', url: 'https://d.example/', snippet: 'VPN' }]);
    const { results } = await webRetrieve('VPN', {
      engines: [engine('fake', RESULTS), other],
      fetchPage: fakeFetch,
      mode: 'merge',
      topResults: 4,
    });
    expect(results.map((r) => r.url)).toEqual([
      'https://a.example/vpn',
      'https://c.example/faq',
      'https://b.example/menu',
      'https://d.example/',
    ]);
  });

  it('fails with SEARCH_FAILED naming every engine only when all fail', async () => {
    const err = await webRetrieve('q', {
      engines: [engine('bing', new Error('HTTP 401')), engine('brave', new Error('timeout'))],
      fetchPage: fakeFetch,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TeamKbError);
    expect((err as TeamKbError).code).toBe('SEARCH_FAILED');
    expect((err as TeamKbError).message).toBe('No search engine answered (bing: HTTP 401; brave: timeout)');
  });

  it('returns nothing, without error, when the engines find nothing', async () => {
    const { passages, results, warnings } = await webRetrieve('q', { engines: [engine('fake', [])], fetchPage: fakeFetch });
    expect(passages).toEqual([]);
    expect(results).toEqual([]);
    expect(warnings).toEqual(['fake: no results']);
  });

  it('uses the snippet of a page that fails or hangs', async () => {
    const fetchPage = async (url: string) => {
      if (url === 'https://a.example/vpn') return new Promise<never>(() => undefined);
      if (url === 'https://c.example/faq') throw new TeamKbError('FETCH_FAILED', 'c.example answered HTTP 500 for /faq');
      return fakeFetch(url);
    };
    const { passages, warnings } = await webRetrieve('rotate VPN key', {
      engines: [engine('fake', RESULTS)],
      fetchPage,
      pageTimeoutMs: 100,
    });
    expect(passages.map((p) => p.text)).toEqual(
      expect.arrayContaining(['VPN 密钥轮换步骤概述。', 'Rotate the VPN key every 90 days.']),
    );
    expect(warnings).toEqual(
      expect.arrayContaining([
        'a.example: a.example did not answer within 0.1 s; using the search snippet',
        'c.example: c.example answered HTTP 500 for /faq; using the search snippet',
      ]),
    );
  });

  it('blends in embedding similarity when an embedder is given', async () => {
    // Meaning without shared words: only the embedder links "lunch" to the menu page.
    const embedder: Embedder = {
      id: 'fake:2',
      dim: 2,
      async embed(texts) {
        return texts.map((t) => (/lunch|米饭/.test(t) ? Float32Array.from([1, 0]) : Float32Array.from([0, 1])));
      },
    };
    const question = 'what is for lunch';
    const without = await webRetrieve(question, { engines: [engine('fake', RESULTS)], fetchPage: fakeFetch });
    const withEmbedder = await webRetrieve(question, { engines: [engine('fake', RESULTS)], fetchPage: fakeFetch, embedder });
    expect(without.passages[0]?.url).not.toBe('https://b.example/menu');
    expect(withEmbedder.passages[0]?.url).toBe('https://b.example/menu');
    expect(withEmbedder.passages[0]?.score).toBeCloseTo(0.5, 5);
  });

  it('falls back to keyword ranking when the embedder fails', async () => {
    const embedder: Embedder = { id: 'broken', dim: 2, embed: async () => Promise.reject(new Error('model not loaded')) };
    const { passages, warnings } = await webRetrieve('轮换 VPN 密钥', {
      engines: [engine('fake', RESULTS)],
      fetchPage: fakeFetch,
      embedder,
    });
    expect(passages[0]?.url).toBe('https://a.example/vpn');
    expect(warnings).toEqual(['embedder broken: model not loaded; ranked by keywords only']);
  });

  it('stops with CANCELLED when the signal aborts', async () => {
    const controller = new AbortController();
    const hanging = async () => new Promise<never>(() => undefined);
    const pending = webRetrieve('q', { engines: [engine('fake', RESULTS)], fetchPage: hanging, signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    const err = await pending.catch((e: unknown) => e);
    expect((err as TeamKbError).code).toBe('CANCELLED');
  });

  it('works end to end over HTTP: engine, safe fetching, refused and oversized pages', async () => {
    const site = await startLoopbackServer((req, res) => {
      if (req.url.pathname === '/big') return sendHtml(res, Buffer.alloc(64 * 1024, 0x61));
      sendHtml(
        res,
        '<html><head><title>密钥手册</title></head><body><nav>首页</nav><article><p>VPN 密钥每九十天轮换一次，在管理后台点击轮换。</p></article></body></html>',
      );
    });
    servers.push(site);
    const searx = await startLoopbackServer((_req, res) =>
      sendJson(res, {
        results: [
          { url: `${site.url}/vpn`, title: '手册', content: '密钥' },
          { url: 'http://10.0.0.7/wiki', title: 'Intranet wiki', content: 'VPN 密钥在内网维基。' },
          { url: `${site.url}/big`, title: 'Big', content: 'VPN 大文件。' },
        ],
      }),
    );
    servers.push(searx);
    const { passages, warnings } = await webRetrieve('VPN 密钥多久轮换', {
      engines: [new SearxngEngine({ baseUrl: searx.url })],
      fetchPage: createPageFetcher({ allowLoopback: true, maxBytes: 32 * 1024 }),
    });
    expect(passages[0]).toMatchObject({ title: '密钥手册', url: `${site.url}/vpn` });
    expect(passages[0]?.text).toContain('每九十天轮换一次');
    expect(passages.map((p) => p.text)).toEqual(expect.arrayContaining(['VPN 密钥在内网维基。', 'VPN 大文件。']));
    expect(warnings.join('\n')).toMatch(/10\.0\.0\.7: Refusing to fetch from 10\.0\.0\.7: it is a private network address/);
    expect(warnings.join('\n')).toMatch(/larger than the 32768 bytes limit/);
  });
});
