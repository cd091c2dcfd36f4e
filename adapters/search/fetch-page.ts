import { TeamKbError } from '../../core/errors.js';
import { readableText } from '../../core/text/readable-html.js';
import { decodeHtml } from '../../core/web/decode-html.js';
import { ALLOW_ALL, parseRobots, type RobotsRules } from '../../core/web/robots.js';
import { TtlCache } from '../../core/web/ttl-cache.js';
import { type FetchedBody, type SafeFetchOptions, safeFetch } from './safe-fetch.js';

export const ROBOTS_AGENT = 'TeamKB';
export const DEFAULT_PAGE_CACHE_TTL_MS = 10 * 60_000;

export interface WebPage {
  /** The final URL after redirects. */
  url: string;
  title: string;
  text: string;
}

export type PageFetcher = (url: string, signal?: AbortSignal) => Promise<WebPage>;

export interface PageFetcherOptions extends Omit<SafeFetchOptions, 'signal'> {
  /** Skip pages the site's robots.txt disallows for TeamKB (default off). */
  respectRobots?: boolean;
  /** How long a fetched page is reused; 0 turns the cache off (default 10 min). */
  cacheTtlMs?: number;
  cacheMaxEntries?: number;
}

/** Decodes a fetched body and keeps its readable text (HTML main content, or the plain text). */
export function pageFromBody(body: FetchedBody): WebPage {
  const decoded = decodeHtml(body.bytes, body.contentType);
  const type = body.contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  const looksHtml = type.includes('html') || (type === '' && /<(html|body|head|p|div)\b/i.test(decoded.text.slice(0, 4096)));
  if (!looksHtml) {
    const text = decoded.text.trim();
    const title = text.split('\n', 1)[0]?.slice(0, 120) || new URL(body.url).host;
    return { url: body.url, title, text };
  }
  const readable = readableText(decoded.text, body.url);
  return { url: body.url, title: readable.title, text: readable.text };
}

/** Fetches pages safely, with an optional robots.txt check and a TTL cache of extracted pages. */
export function createPageFetcher(options: PageFetcherOptions = {}): PageFetcher {
  const ttl = options.cacheTtlMs ?? DEFAULT_PAGE_CACHE_TTL_MS;
  const maxEntries = options.cacheMaxEntries ?? 200;
  const pages = new TtlCache<WebPage>(ttl, maxEntries);
  const robots = new TtlCache<RobotsRules>(Math.max(ttl, 60 * 60_000), maxEntries);

  async function robotsFor(origin: string, signal?: AbortSignal): Promise<RobotsRules> {
    const known = robots.get(origin);
    if (known) return known;
    let rules = ALLOW_ALL;
    try {
      const body = await safeFetch(`${origin}/robots.txt`, { ...options, maxBytes: 512 * 1024, signal });
      rules = parseRobots(decodeHtml(body.bytes, body.contentType).text, ROBOTS_AGENT);
    } catch (err) {
      // A site without a readable robots.txt sets no rules, but a forbidden address stays forbidden.
      if (err instanceof TeamKbError && (err.code === 'FETCH_FORBIDDEN' || err.code === 'CANCELLED')) throw err;
    }
    robots.set(origin, rules);
    return rules;
  }

  return async (url, signal) => {
    const cached = pages.get(url);
    if (cached) return cached;
    if (options.respectRobots && URL.canParse(url)) {
      const target = new URL(url);
      const rules = await robotsFor(target.origin, signal);
      if (!rules.allows(`${target.pathname}${target.search}`)) {
        throw new TeamKbError('FETCH_FORBIDDEN', `robots.txt of ${target.host} does not allow fetching ${target.pathname}`, {
          details: { url, reason: 'robots' },
        });
      }
    }
    const page = pageFromBody(await safeFetch(url, { ...options, signal }));
    pages.set(url, page);
    return page;
  };
}
