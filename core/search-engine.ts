export interface WebResult {
  title: string;
  url: string;
  snippet: string;
}

export interface SearchEngine {
  readonly id: string;
  search(query: string, n: number, signal?: AbortSignal): Promise<WebResult[]>;
}
