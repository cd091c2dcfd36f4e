import { createRequire } from 'node:module';
import { TeamKbError } from '../../core/errors.js';
import type { SearchEngine, WebResult } from '../../core/search-engine.js';
import { callEngine, collectResults, type EngineHttpOptions, engineUrl, plainText } from './engine-http.js';

// The DOM parser loads on the first search, not at start-up.
const requireLazily = createRequire(import.meta.url);
const parseHTML = (html: string): ReturnType<typeof import('linkedom').parseHTML> =>
  (requireLazily('linkedom') as typeof import('linkedom')).parseHTML(html);

export const DUCKDUCKGO_DEFAULT_URL = 'https://html.duckduckgo.com';

export interface DuckDuckGoOptions extends EngineHttpOptions {
  baseUrl?: string;
  /** Region code, e.g. "cn-zh" or "us-en"; DuckDuckGo picks one when absent. */
  region?: string;
}

/** DuckDuckGo wraps result links as //duckduckgo.com/l/?uddg=<target>; this returns the target. */
export function unwrapDuckDuckGoLink(href: string): string {
  let url: URL;
  try {
    url = new URL(href, 'https://duckduckgo.com');
  } catch {
    return '';
  }
  const target = url.searchParams.get('uddg');
  if (target && /duckduckgo\.com$/i.test(url.hostname)) return URL.canParse(target) ? new URL(target).href : '';
  if (/duckduckgo\.com$/i.test(url.hostname)) return '';
  return url.href;
}

/** Reads the results of DuckDuckGo's no-JavaScript HTML page, ads left out. */
export function parseDuckDuckGoHtml(html: string): WebResult[] {
  const { document } = parseHTML(html);
  const items: WebResult[] = [];
  for (const result of Array.from(document.querySelectorAll('.result'))) {
    if (result.classList.contains('result--ad')) continue;
    const link = result.querySelector('a.result__a');
    if (!link) continue;
    const url = unwrapDuckDuckGoLink(link.getAttribute('href') ?? '');
    if (!url) continue;
    items.push({
      title: plainText(link.textContent),
      url,
      snippet: plainText(result.querySelector('.result__snippet')?.textContent ?? ''),
    });
  }
  return items;
}

function looksLikeBotCheck(html: string): boolean {
  return /anomaly-modal|challenge-form|g-recaptcha|captcha/i.test(html) && !/class="[^"]*result__a/.test(html);
}

/** DuckDuckGo's HTML endpoint (no key). The zero-configuration default; it may refuse bursts. */
export class DuckDuckGoEngine implements SearchEngine {
  readonly id = 'duckduckgo';

  constructor(private readonly options: DuckDuckGoOptions = {}) {}

  async search(query: string, n: number, signal?: AbortSignal): Promise<WebResult[]> {
    const url = engineUrl(this.options.baseUrl ?? DUCKDUCKGO_DEFAULT_URL, 'html/');
    const form = new URLSearchParams({ q: query, b: '' });
    if (this.options.region) form.set('kl', this.options.region);
    const response = await callEngine(
      'DuckDuckGo',
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'text/html',
          'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
        },
        body: form.toString(),
        timeoutMs: this.options.timeoutMs,
      },
      signal,
    );
    const html = await response.text();
    if (response.status === 202 || looksLikeBotCheck(html)) {
      throw new TeamKbError(
        'SEARCH_FAILED',
        'DuckDuckGo refused the query with a bot check; set SEARXNG_URL or a search API key (BING_API_KEY, BRAVE_API_KEY, TAVILY_API_KEY)',
        { details: { engine: 'duckduckgo', status: response.status } },
      );
    }
    return collectResults(parseDuckDuckGoHtml(html), n);
  }
}
