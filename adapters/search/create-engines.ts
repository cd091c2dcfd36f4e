import { TeamKbError } from '../../core/errors.js';
import type { SearchEngine } from '../../core/search-engine.js';
import { BingEngine } from './bing.js';
import { BraveEngine } from './brave.js';
import { DuckDuckGoEngine } from './duckduckgo.js';
import { SearxngEngine } from './searxng.js';
import { TavilyEngine } from './tavily.js';

export const SEARCH_ENGINE_IDS = ['searxng', 'bing', 'brave', 'tavily', 'duckduckgo'] as const;
export type SearchEngineId = (typeof SEARCH_ENGINE_IDS)[number];

/** Engine settings: configs/search.yaml (SEARXNG_URL, BING_API_KEY, BRAVE_API_KEY, TAVILY_API_KEY, TEAMKB_SEARCH_ENGINE). */
export interface SearchEnginesConfig {
  searxngUrl?: string;
  bingKey?: string;
  bingUrl?: string;
  braveKey?: string;
  braveUrl?: string;
  tavilyKey?: string;
  tavilyUrl?: string;
  duckduckgoUrl?: string;
  /** Engine ids in the order to try them; only these are used. */
  order?: string[];
  /** Per-request time limit for every engine (default 10 s). */
  timeoutMs?: number;
}

function missing(id: string, what: string): TeamKbError {
  return new TeamKbError('CONFIG_INVALID', `Search engine "${id}" is listed in the engine order but ${what} is not set`, {
    details: { engine: id },
  });
}

function build(id: SearchEngineId, cfg: SearchEnginesConfig): SearchEngine {
  const timeoutMs = cfg.timeoutMs;
  switch (id) {
    case 'searxng':
      if (!cfg.searxngUrl) throw missing(id, 'SEARXNG_URL');
      return new SearxngEngine({ baseUrl: cfg.searxngUrl, timeoutMs });
    case 'bing':
      if (!cfg.bingKey) throw missing(id, 'BING_API_KEY');
      return new BingEngine({ apiKey: cfg.bingKey, baseUrl: cfg.bingUrl, timeoutMs });
    case 'brave':
      if (!cfg.braveKey) throw missing(id, 'BRAVE_API_KEY');
      return new BraveEngine({ apiKey: cfg.braveKey, baseUrl: cfg.braveUrl, timeoutMs });
    case 'tavily':
      if (!cfg.tavilyKey) throw missing(id, 'TAVILY_API_KEY');
      return new TavilyEngine({ apiKey: cfg.tavilyKey, baseUrl: cfg.tavilyUrl, timeoutMs });
    case 'duckduckgo':
      return new DuckDuckGoEngine({ baseUrl: cfg.duckduckgoUrl, timeoutMs });
  }
}

function isEngineId(id: string): id is SearchEngineId {
  return (SEARCH_ENGINE_IDS as readonly string[]).includes(id);
}

/**
 * The engines to try, in order. With `order`, exactly those (unknown ids and engines without their
 * URL or key are configuration errors). Without it: SearXNG when its URL is set, then every engine
 * with a key (Bing, Brave, Tavily); DuckDuckGo when none of those is configured.
 */
export function createSearchEngines(cfg: SearchEnginesConfig): SearchEngine[] {
  if (cfg.order && cfg.order.length > 0) {
    const ids = [...new Set(cfg.order.map((id) => id.trim().toLowerCase()))];
    for (const id of ids) {
      if (!isEngineId(id)) {
        throw new TeamKbError(
          'CONFIG_INVALID',
          `Unknown search engine "${id}" (TEAMKB_SEARCH_ENGINE); known: ${SEARCH_ENGINE_IDS.join(', ')}`,
          {
            details: { engine: id },
          },
        );
      }
    }
    return ids.map((id) => build(id as SearchEngineId, cfg));
  }
  const configured: SearchEngineId[] = [];
  if (cfg.searxngUrl) configured.push('searxng');
  if (cfg.bingKey) configured.push('bing');
  if (cfg.braveKey) configured.push('brave');
  if (cfg.tavilyKey) configured.push('tavily');
  if (configured.length === 0) configured.push('duckduckgo');
  return configured.map((id) => build(id, cfg));
}
