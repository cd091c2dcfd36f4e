import type { KbService } from '../../core/kb-service.js';
import type { Llm, LlmPart, LlmRequest } from '../../core/llm.js';

/** Moments of one generation, in performance.now() milliseconds. */
export interface LlmTimes {
  start: number;
  firstToken?: number;
  end?: number;
  request: LlmRequest;
}

/** Wraps an LLM so each stream records when it started, produced its first text and ended. */
export function instrumentLlm(llm: Llm): Llm & { calls: LlmTimes[] } {
  const calls: LlmTimes[] = [];
  return {
    id: llm.id,
    calls,
    async *stream(request: LlmRequest): AsyncIterable<LlmPart> {
      const times: LlmTimes = { start: performance.now(), request };
      calls.push(times);
      for await (const part of llm.stream(request)) {
        if (part.type === 'text' && times.firstToken === undefined) times.firstToken = performance.now();
        yield part;
      }
      times.end = performance.now();
    },
  };
}

export interface SearchTimes {
  start: number;
  end: number;
}

/** Wraps a KB service so each search records its start and end. */
export function instrumentKb<T extends KbService>(kb: T): T & { searches: SearchTimes[] } {
  const searches: SearchTimes[] = [];
  const wrapped = Object.create(kb) as T & { searches: SearchTimes[] };
  wrapped.searches = searches;
  wrapped.search = async (...args: Parameters<KbService['search']>) => {
    const start = performance.now();
    const hits = await kb.search(...args);
    searches.push({ start, end: performance.now() });
    return hits;
  };
  return wrapped;
}

export const median = (values: number[]): number => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

/** Time to first text and total for the LLM alone, with the given request. */
export async function timeLlmDirect(llm: Llm, request: LlmRequest): Promise<{ firstToken: number; total: number }> {
  const start = performance.now();
  let firstToken = Number.NaN;
  for await (const part of llm.stream(request)) {
    if (part.type === 'text' && Number.isNaN(firstToken)) firstToken = performance.now() - start;
  }
  return { firstToken, total: performance.now() - start };
}
