import type { Llm, LlmPart, LlmRequest } from '../../../../core/llm.js';

export interface Collected {
  texts: string[];
  done?: Extract<LlmPart, { type: 'done' }>;
  error?: unknown;
}

/** Reads a stream to its end (or error), optionally aborting after `abortAfter` text parts. */
export async function collect(
  llm: Llm,
  req: LlmRequest,
  abortAfter?: { parts: number; controller: AbortController },
): Promise<Collected> {
  const result: Collected = { texts: [] };
  try {
    for await (const part of llm.stream(req)) {
      if (part.type === 'text') {
        result.texts.push(part.text);
        if (abortAfter && result.texts.length === abortAfter.parts) abortAfter.controller.abort();
      } else result.done = part;
    }
  } catch (err) {
    result.error = err;
  }
  return result;
}
