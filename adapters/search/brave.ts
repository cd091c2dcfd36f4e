import type { SearchEngine, WebResult } from '../../core/search-engine.js';
import { type EngineHttpOptions, engineUrl } from './engine-http.js';
import { queryJsonEngine, requestedCount } from './json-engine.js';

export const BRAVE_DEFAULT_URL = 'https://api.search.brave.com';

export interface BraveOptions extends EngineHttpOptions {
  apiKey: string;
  baseUrl?: string;
}

/** Brave Search API: GET /res/v1/web/search with the X-Subscription-Token header. */
export class BraveEngine implements SearchEngine {
  readonly id = 'brave';

  constructor(private readonly options: BraveOptions) {}

  search(query: string, n: number, signal?: AbortSignal): Promise<WebResult[]> {
    const params = { q: query, count: requestedCount(n, 20) };
    const call = {
      engine: 'Brave',
      url: engineUrl(this.options.baseUrl ?? BRAVE_DEFAULT_URL, 'res/v1/web/search', params),
      headers: { 'X-Subscription-Token': this.options.apiKey },
      authHint: 'check BRAVE_API_KEY',
      timeoutMs: this.options.timeoutMs,
      resultsAt: ['web', 'results'],
      titleKey: 'title',
      snippetKey: 'description',
    };
    return queryJsonEngine(call, n, signal);
  }
}
