import type { SearchEngine, WebResult } from '../../core/search-engine.js';
import {
  asArray,
  callEngine,
  collectResults,
  type EngineHttpOptions,
  engineUrl,
  field,
  plainText,
  readJson,
} from './engine-http.js';

export const TAVILY_DEFAULT_URL = 'https://api.tavily.com';

export interface TavilyOptions extends EngineHttpOptions {
  apiKey: string;
  baseUrl?: string;
}

/** Tavily: POST /search with a JSON body carrying api_key (also sent as a bearer token). */
export class TavilyEngine implements SearchEngine {
  readonly id = 'tavily';

  constructor(private readonly options: TavilyOptions) {}

  async search(query: string, n: number, signal?: AbortSignal): Promise<WebResult[]> {
    const url = engineUrl(this.options.baseUrl ?? TAVILY_DEFAULT_URL, 'search');
    const response = await callEngine(
      'Tavily',
      url,
      {
        method: 'POST',
        headers: {
          accept: 'application/json',
          'content-type': 'application/json',
          authorization: `Bearer ${this.options.apiKey}`,
        },
        body: JSON.stringify({
          api_key: this.options.apiKey,
          query,
          max_results: Math.min(Math.max(n, 1), 20),
          search_depth: 'basic',
          include_answer: false,
        }),
        authHint: 'check TAVILY_API_KEY',
        timeoutMs: this.options.timeoutMs,
      },
      signal,
    );
    const body = await readJson('Tavily', response);
    const items = asArray(field(body, 'results')).map((r) => ({
      title: plainText(field(r, 'title')),
      url: String(field(r, 'url') ?? ''),
      snippet: plainText(field(r, 'content')),
    }));
    return collectResults(items, n);
  }
}
