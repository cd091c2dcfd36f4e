import { describe, expect, it } from 'vitest';
import { createSearchEngines } from '../../../adapters/search/create-engines.js';
import { loadConfig } from '../../../core/config/load.js';

const ids = (cfg: Parameters<typeof createSearchEngines>[0]) => createSearchEngines(cfg).map((e) => e.id);

describe('createSearchEngines', () => {
  it('uses DuckDuckGo when nothing is configured', () => {
    expect(ids({})).toEqual(['duckduckgo']);
  });

  it('puts SearXNG first when its URL is set, then engines with keys', () => {
    expect(ids({ searxngUrl: 'http://localhost:8080' })).toEqual(['searxng']);
    expect(ids({ searxngUrl: 'http://localhost:8080', braveKey: 'b', tavilyKey: 't' })).toEqual(['searxng', 'brave', 'tavily']);
    expect(ids({ bingKey: 'k' })).toEqual(['bing']);
  });

  it('follows an explicit order exactly', () => {
    expect(ids({ searxngUrl: 'http://s', bingKey: 'k', order: ['bing', 'duckduckgo'] })).toEqual(['bing', 'duckduckgo']);
  });

  it('rejects unknown engines and engines missing their key, naming the setting', () => {
    expect(() => ids({ order: ['google'] })).toThrow(/Unknown search engine "google" \(TEAMKB_SEARCH_ENGINE\)/);
    expect(() => ids({ order: ['brave'] })).toThrow(/"brave" .* BRAVE_API_KEY is not set/);
  });

  it('reads the documented environment variables', () => {
    const cfg = loadConfig({
      configDir: 'configs',
      env: {
        SEARXNG_URL: 'http://searx:8080',
        BING_API_KEY: 'bk',
        BRAVE_API_KEY: ' ',
        TAVILY_API_KEY: 'tk',
        TEAMKB_SEARCH_ENGINE: 'Tavily, searxng',
      },
    }).search;
    expect(cfg).toEqual({
      searxngUrl: 'http://searx:8080',
      bingKey: 'bk',
      tavilyKey: 'tk',
      order: ['tavily', 'searxng'],
      timeoutMs: 10_000,
    });
    expect(ids(cfg)).toEqual(['tavily', 'searxng']);
  });
});
