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

  async search(query: string, n: number, signal?: AbortSignal): Promise<WebResult[]> {
    const params: Record<string, string | number> = { q: query, count: Math.min(Math.max(n, 1), 50), textFormat: 'Raw' };
    if (this.options.market) params.mkt = this.options.market;
    const url = engineUrl(this.options.baseUrl ?? BING_DEFAULT_URL, 'v7.0/search', params);
    const response = await callEngine(
      'Bing',
      url,
      {
        headers: { accept: 'application/json', 'Ocp-Apim-Subscription-Key': this.options.apiKey },
        authHint: 'check BING_API_KEY',
        timeoutMs: this.options.timeoutMs,
      },
      signal,
    );
    const body = await readJson('Bing', response);
    const items = asArray(field(field(body, 'webPages'), 'value')).map((r) => ({
      title: plainText(field(r, 'name')),
      url: String(field(r, 'url') ?? ''),
      snippet: plainText(field(r, 'snippet')),
    }));
    return collectResults(items, n);
  }
}
