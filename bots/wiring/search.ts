import { createSearchEngines } from '../../adapters/search/create-engines.js';
import { webRetrieve } from '../../adapters/search/web-retrieve.js';
import type { WebPassage } from '../../core/answering/answer-service.js';
import type { SearchConfig } from '../../core/config/platform-schema.js';
import type { Embedder } from '../../core/embedder.js';
import type { Logger } from '../../core/logger.js';
import type { SearchEngine } from '../../core/search-engine.js';

export type WebSearch = ((question: string, signal?: AbortSignal) => Promise<{ passages: WebPassage[]; warnings: string[] }>) & {
  /** The engines tried, in order (the banner and tests show them). */
  engines: SearchEngine[];
};

/** Web search for the `web` chat mode from configs/search.yaml (SearXNG, Bing, Brave, Tavily; DuckDuckGo otherwise). */
export function createWebSearch(config: SearchConfig, embedder: Embedder | null, logger: Logger): WebSearch {
  const engines = createSearchEngines(config);
  const log = logger.child({ component: 'web-search' });
  const search = async (question: string, signal?: AbortSignal) => {
    const result = await webRetrieve(question, { engines, embedder, signal, logger: log });
    for (const warning of result.warnings) log.warn(warning);
    return result;
  };
  return Object.assign(search, { engines });
}
