import type { SearchEngine, WebResult } from '../../core/search-engine.js';
import { type EngineHttpOptions, engineUrl } from './engine-http.js';
import { queryJsonEngine, requestedCount } from './json-engine.js';

export const BING_DEFAULT_URL = 'https://api.bing.microsoft.com';

export interface BingOptions extends EngineHttpOptions {
  apiKey: string;
  baseUrl?: string;
  /** Market, e.g. "zh-CN" or "en-US"; Bing picks one when absent. */
  market?: string;
}

/** Bing Web Search API v7: GET /v7.0/search with the Ocp-Apim-Subscription-Key header. */
export class BingEngine implements SearchEngine {
  readonly id = 'bing';

  constructor(private readonly options: BingOptions) {}

  search(query: string, n: number, signal?: AbortSignal): Promise<WebResult[]> {
    const params: Record<string, string | number> = { q: query, count: requestedCount(n, 50), textFormat: 'Raw' };
    if (this.options.market) params.mkt = this.options.market;
    const call = {
      engine: 'Bing',
      url: engineUrl(this.options.baseUrl ?? BING_DEFAULT_URL, 'v7.0/search', params),
      headers: { 'Ocp-Apim-Subscription-Key': this.options.apiKey },
      authHint: 'check BING_API_KEY',
      timeoutMs: this.options.timeoutMs,
      resultsAt: ['webPages', 'value'],
      titleKey: 'name',
      snippetKey: 'snippet',
    };
    return queryJsonEngine(call, n, signal);
  }
}
