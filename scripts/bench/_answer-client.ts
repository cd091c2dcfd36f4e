import { createScriptedLlm } from '../../adapters/models/fake-llm.js';
import type { AnswerRequest, AnswerService } from '../../core/kb-service.js';
import type { Llm } from '../../core/llm.js';
import type { ChatTiming } from './_http.js';

/** A fixed cited answer of about `words` words, streamed with `delayMs` per word. */
export function benchLlm(words: number, delayMs: number): Llm {
  const sentence = 'The passages say the setting is changed from the admin console and takes effect at once [1]. ';
  const vocabulary = sentence.split(' ').filter(Boolean);
  const reply = Array.from({ length: words }, (_, i) => vocabulary[i % vocabulary.length]).join(' ');
  return createScriptedLlm(() => reply, { delayMsPerToken: delayMs, id: 'fake:bench' });
}

/** Runs one question through the answer service and times it as a caller would see it. */
export async function timeAnswer(service: AnswerService, req: AnswerRequest): Promise<ChatTiming> {
  const start = performance.now();
  const timing: ChatTiming = { firstByte: Number.NaN, firstText: Number.NaN, total: Number.NaN };
  let done = false;
  try {
    for await (const part of service.answer(req)) {
      if (Number.isNaN(timing.firstByte)) timing.firstByte = performance.now() - start;
      if (part.type === 'text' && Number.isNaN(timing.firstText)) timing.firstText = performance.now() - start;
      if (part.type === 'error') timing.error = `${part.code}: ${part.message}`;
      if (part.type === 'done') done = true;
    }
    if (!done && !timing.error) timing.error = 'no done part';
  } catch (err) {
    timing.error = err instanceof Error ? err.message : String(err);
  }
  timing.total = performance.now() - start;
  return timing;
}
