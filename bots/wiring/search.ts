import { createSearchEngines, searchConfigFromEnv } from '../../adapters/search/create-engines.js';
import { webRetrieve } from '../../adapters/search/web-retrieve.js';
import type { WebPassage } from '../../core/answering/answer-service.js';
import type { Embedder } from '../../core/embedder.js';
import type { Logger } from '../../core/logger.js';

/** Web search for the `search` chat mode, from SEARXNG_URL / BING_API_KEY / BRAVE_API_KEY / TAVILY_API_KEY (DuckDuckGo otherwise). */
export function createWebSearch(embedder: Embedder | null, logger: Logger) {
  const engines = createSearchEngines(searchConfigFromEnv());
  const log = logger.child({ component: 'web-search' });
  return async (question: string, signal?: AbortSignal): Promise<{ passages: WebPassage[]; warnings: string[] }> => {
    const result = await webRetrieve(question, { engines, embedder, signal, logger: log });
    for (const warning of result.warnings) log.warn(warning);
    return result;
  };
}
