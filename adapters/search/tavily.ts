import type { SearchEngine, WebResult } from '../../core/search-engine.js';
import { type EngineHttpOptions, engineUrl } from './engine-http.js';
import { type JsonEngineCall, queryJsonEngine, requestedCount } from './json-engine.js';

export const TAVILY_DEFAULT_URL = 'https://api.tavily.com';

export interface TavilyOptions extends EngineHttpOptions {
  apiKey: string;
  baseUrl?: string;
}

/** Tavily: POST /search with a JSON body carrying api_key (also sent as a bearer token). */
export class TavilyEngine implements SearchEngine {
  readonly id = 'tavily';

  constructor(private readonly options: TavilyOptions) {}

  search(query: string, n: number, signal?: AbortSignal): Promise<WebResult[]> {
    const call: JsonEngineCall = {
      engine: 'Tavily',
      url: engineUrl(this.options.baseUrl ?? TAVILY_DEFAULT_URL, 'search'),
      method: 'POST',
      headers: { authorization: `Bearer ${this.options.apiKey}` },
      jsonBody: {
        api_key: this.options.apiKey,
        query,
        max_results: requestedCount(n, 20),
        search_depth: 'basic',
        include_answer: false,
      },
      authHint: 'check TAVILY_API_KEY',
      timeoutMs: this.options.timeoutMs,
      resultsAt: ['results'],
      titleKey: 'title',
      snippetKey: 'content',
    };
    return queryJsonEngine(call, n, signal);
  }
}
