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

export const BRAVE_DEFAULT_URL = 'https://api.search.brave.com';

export interface BraveOptions extends EngineHttpOptions {
  apiKey: string;
  baseUrl?: string;
}

/** Brave Search API: GET /res/v1/web/search with the X-Subscription-Token header. */
export class BraveEngine implements SearchEngine {
  readonly id = 'brave';

  constructor(private readonly options: BraveOptions) {}

  async search(query: string, n: number, signal?: AbortSignal): Promise<WebResult[]> {
    const url = engineUrl(this.options.baseUrl ?? BRAVE_DEFAULT_URL, 'res/v1/web/search', {
      q: query,
      count: Math.min(Math.max(n, 1), 20),
    });
    const response = await callEngine(
      'Brave',
      url,
      {
        headers: { accept: 'application/json', 'X-Subscription-Token': this.options.apiKey },
        authHint: 'check BRAVE_API_KEY',
        timeoutMs: this.options.timeoutMs,
      },
      signal,
    );
    const body = await readJson('Brave', response);
    const items = asArray(field(field(body, 'web'), 'results')).map((r) => ({
      title: plainText(field(r, 'title')),
      url: String(field(r, 'url') ?? ''),
      snippet: plainText(field(r, 'description')),
    }));
    return collectResults(items, n);
  }
}
