import type { SearchEngine, WebResult } from '../../core/search-engine.js';
import { type EngineHttpOptions, engineUrl } from './engine-http.js';
import { queryJsonEngine } from './json-engine.js';

export interface SearxngOptions extends EngineHttpOptions {
  /** The instance's base URL, e.g. http://localhost:8080 (JSON output must be enabled in its settings.yml). */
  baseUrl: string;
  /** Optional language code passed through, e.g. "zh-CN". */
  language?: string;
}

/** SearXNG's JSON API: GET /search?q=…&format=json. */
export class SearxngEngine implements SearchEngine {
  readonly id = 'searxng';

  constructor(private readonly options: SearxngOptions) {}

  search(query: string, n: number, signal?: AbortSignal): Promise<WebResult[]> {
    const params: Record<string, string> = { q: query, format: 'json', pageno: '1' };
    if (this.options.language) params.language = this.options.language;
    const call = {
      engine: 'SearXNG',
      url: engineUrl(this.options.baseUrl, 'search', params),
      authHint: 'enable "json" under search.formats in the instance settings.yml',
      timeoutMs: this.options.timeoutMs,
      resultsAt: ['results'],
      titleKey: 'title',
      snippetKey: 'content',
    };
    return queryJsonEngine(call, n, signal);
  }
}
