import { afterEach, describe, expect, it } from 'vitest';
import { BingEngine } from '../../../adapters/search/bing.js';
import { BraveEngine } from '../../../adapters/search/brave.js';
import { DuckDuckGoEngine, unwrapDuckDuckGoLink } from '../../../adapters/search/duckduckgo.js';
import { SearxngEngine } from '../../../adapters/search/searxng.js';
import { TavilyEngine } from '../../../adapters/search/tavily.js';
import { TeamKbError } from '../../../core/errors.js';
import {
  bingAnswer,
  braveAnswer,
  duckduckgoBotCheckHtml,
  duckduckgoHtml,
  searxngAnswer,
  tavilyAnswer,
} from './engine-responses.js';
import { type LoopbackServer, sendHtml, sendJson, startLoopbackServer } from './loopback-server.js';

let server: LoopbackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function caught(work: Promise<unknown>): Promise<TeamKbError> {
  const err = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TeamKbError);
  return err as TeamKbError;
}

describe('SearXNG', () => {
  it('asks /search with format=json and keeps unique http(s) results', async () => {
    server = await startLoopbackServer((_req, res) => sendJson(res, searxngAnswer));
    const engine = new SearxngEngine({ baseUrl: `${server.url}/searx/` });
    const results = await engine.search('如何轮换 VPN 密钥', 5);
    const request = server.requests[0]!;
    expect(request.url.pathname).toBe('/searx/search');
    expect(request.url.searchParams.get('format')).toBe('json');
    expect(request.url.searchParams.get('q')).toBe('如何轮换 VPN 密钥');
    expect(results).toEqual([
      {
        title: 'Rotating WireGuard keys',
        url: 'https://docs.example.org/vpn/rotate',
        snippet: 'To rotate a key, generate a new pair with wg genkey and update the peer on both ends.',
      },
      {
        title: 'VPN 密钥轮换指南 & 常见问题',
        url: 'https://wiki.example.cn/vpn/%E5%AF%86%E9%92%A5',
        snippet: '每 90 天轮换一次 VPN 密钥，旧密钥在新密钥生效后作废。',
      },
    ]);
  });

  it('explains a 403 (JSON output disabled on the instance)', async () => {
    server = await startLoopbackServer((_req, res) => sendHtml(res, 'Forbidden', 'text/html', 403));
    const err = await caught(new SearxngEngine({ baseUrl: server.url }).search('q', 3));
    expect(err.code).toBe('SEARCH_FAILED');
    expect(err.message).toMatch(/SearXNG.*403.*search\.formats/);
  });

  it('reports an answer that is not JSON', async () => {
    server = await startLoopbackServer((_req, res) => sendHtml(res, '<html>login</html>'));
    const err = await caught(new SearxngEngine({ baseUrl: server.url }).search('q', 3));
    expect(err.message).toMatch(/SearXNG search failed: the answer was not JSON/);
  });

  it('gives up on a silent server after its time limit', async () => {
    server = await startLoopbackServer(() => new Promise(() => undefined));
    const err = await caught(new SearxngEngine({ baseUrl: server.url, timeoutMs: 200 }).search('q', 3));
    expect(err.code).toBe('SEARCH_FAILED');
    expect(err.message).toMatch(/no answer within 0.2 s/);
  });
});

describe('Bing Web Search v7', () => {
  it('sends the key header and reads webPages.value', async () => {
    server = await startLoopbackServer((_req, res) => sendJson(res, bingAnswer));
    const results = await new BingEngine({ apiKey: 'bing-secret', baseUrl: server.url }).search('rotate vpn key', 2);
    const request = server.requests[0]!;
    expect(request.url.pathname).toBe('/v7.0/search');
    expect(request.url.searchParams.get('count')).toBe('2');
    expect(request.headers['ocp-apim-subscription-key']).toBe('bing-secret');
    expect(results.map((r) => r.title)).toEqual(['How to rotate VPN keys', '密钥管理 - 示例公司']);
    expect(results[0]?.snippet).toContain('Settings → Keys → Rotate');
  });

  it('names the key on 401 without revealing it', async () => {
    server = await startLoopbackServer((_req, res) => sendJson(res, { error: { code: '401', message: 'Access denied' } }, 401));
    const err = await caught(new BingEngine({ apiKey: 'bing-secret', baseUrl: server.url }).search('q', 3));
    expect(err.message).toMatch(/Bing search failed: HTTP 401 \(check BING_API_KEY\)/);
    expect(err.message).not.toContain('bing-secret');
  });
});

describe('Brave Search', () => {
  it('sends X-Subscription-Token and strips highlighting from descriptions', async () => {
    server = await startLoopbackServer((_req, res) => sendJson(res, braveAnswer));
    const results = await new BraveEngine({ apiKey: 'brave-secret', baseUrl: server.url }).search('rotate vpn key', 5);
    const request = server.requests[0]!;
    expect(request.url.pathname).toBe('/res/v1/web/search');
    expect(request.headers['x-subscription-token']).toBe('brave-secret');
    expect(results).toEqual([
      {
        title: 'Key rotation — VPN handbook',
        url: 'https://handbook.example.net/vpn/key-rotation',
        snippet: 'The VPN key should be rotated every quarter.',
      },
    ]);
  });

  it('reports rate limiting', async () => {
    server = await startLoopbackServer((_req, res) => sendJson(res, { type: 'ErrorResponse' }, 429));
    const err = await caught(new BraveEngine({ apiKey: 'k', baseUrl: server.url }).search('q', 3));
    expect(err.message).toMatch(/Brave search failed: HTTP 429 \(rate limited/);
  });
});

describe('Tavily', () => {
  it('POSTs /search with api_key in the body and honours n', async () => {
    server = await startLoopbackServer((_req, res) => sendJson(res, tavilyAnswer));
    const results = await new TavilyEngine({ apiKey: 'tvly-secret', baseUrl: server.url }).search('rotate vpn key', 1);
    const request = server.requests[0]!;
    expect(request.method).toBe('POST');
    expect(request.url.pathname).toBe('/search');
    expect(JSON.parse(request.body)).toMatchObject({ api_key: 'tvly-secret', query: 'rotate vpn key', max_results: 1 });
    expect(results).toEqual([
      {
        title: 'VPN key rotation in practice',
        url: 'https://blog.example.io/vpn-key-rotation',
        snippet: 'We rotate VPN keys with a two-step rollout so no client is cut off.',
      },
    ]);
  });
});

describe('DuckDuckGo HTML', () => {
  it('posts the query and unwraps uddg links, skipping ads', async () => {
    server = await startLoopbackServer((_req, res) => sendHtml(res, duckduckgoHtml));
    const results = await new DuckDuckGoEngine({ baseUrl: server.url }).search('rotate vpn key', 5);
    const request = server.requests[0]!;
    expect(request.method).toBe('POST');
    expect(request.url.pathname).toBe('/html/');
    expect(new URLSearchParams(request.body).get('q')).toBe('rotate vpn key');
    expect(request.headers['user-agent']).toMatch(/Mozilla/);
    expect(results).toEqual([
      {
        title: 'Rotating VPN keys',
        url: 'https://docs.example.org/vpn/rotate?lang=en',
        snippet: 'To rotate the VPN key, generate a new pair & update peers.',
      },
      { title: '密钥轮换 - 维基', url: 'https://wiki.example.cn/%E5%AF%86%E9%92%A5', snippet: '定期轮换密钥可以降低泄露风险。' },
    ]);
  });

  it('says so when DuckDuckGo answers with a bot check', async () => {
    server = await startLoopbackServer((_req, res) => sendHtml(res, duckduckgoBotCheckHtml));
    const err = await caught(new DuckDuckGoEngine({ baseUrl: server.url }).search('q', 3));
    expect(err.code).toBe('SEARCH_FAILED');
    expect(err.message).toMatch(/DuckDuckGo refused the query with a bot check; set SEARXNG_URL/);
  });

  it('unwraps redirect links and keeps direct ones', () => {
    expect(unwrapDuckDuckGoLink('//duckduckgo.com/l/?uddg=https%3A%2F%2Fa.example%2Fx%3Fy%3D1&rut=z')).toBe(
      'https://a.example/x?y=1',
    );
    expect(unwrapDuckDuckGoLink('https://b.example/page')).toBe('https://b.example/page');
    expect(unwrapDuckDuckGoLink('https://duckduckgo.com/y.js?ad_domain=x')).toBe('');
  });
});
