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

  async search(query: string, n: number, signal?: AbortSignal): Promise<WebResult[]> {
    const params: Record<string, string> = { q: query, format: 'json', pageno: '1' };
    if (this.options.language) params.language = this.options.language;
    const url = engineUrl(this.options.baseUrl, 'search', params);
    const response = await callEngine(
      'SearXNG',
      url,
      {
        headers: { accept: 'application/json' },
        authHint: 'enable "json" under search.formats in the instance settings.yml',
        timeoutMs: this.options.timeoutMs,
      },
      signal,
    );
    const body = await readJson('SearXNG', response);
    const items = asArray(field(body, 'results')).map((r) => ({
      title: plainText(field(r, 'title')),
      url: String(field(r, 'url') ?? ''),
      snippet: plainText(field(r, 'content')),
    }));
    return collectResults(items, n);
  }
}
