import { setTimeout as sleep } from 'node:timers/promises';
import type { IncomingEvent, Reply } from '../../core/chat.js';

/** Answers like a slow model: a status, 20 text pieces 25 ms apart (~0.5 s), a citation, done. */
export async function slowCitedAnswer(event: IncomingEvent, reply: Reply): Promise<void> {
  await reply.write({ type: 'status', text: 'Searching handbook…' });
  for (let i = 0; i < 20; i += 1) {
    await sleep(25);
    await reply.write({ type: 'text', text: `word${i} ` });
  }
  const citation = { n: 1, file: 'guide.pdf', page: 3, snippet: '…', kb: 'handbook' };
  await reply.write({ type: 'citation', citation });
  const markdown = `Answer to ${event.eventId} [1].`;
  await reply.write({
    type: 'done',
    answer: { markdown, citations: [citation], sources: ['handbook'], mode: 'kb', answerId: event.eventId },
  });
}
