import { createAnswerService } from '../../core/answering/answer-service.js';
import type { AnswerRequest, AnswerService } from '../../core/kb-service.js';
import { benchLlm, timeAnswer } from './_answer-client.js';
import { type ChatTiming, startServer, timeChat } from './_http.js';
import { loadNote, openSyntheticKb, shippedPrompts } from './_kb-fixture.js';
import type { BenchFn, BenchReport } from './harness.js';
import { percentile } from './harness.js';

const TOKEN_DELAY_MS = 2;
const ANSWER_WORDS = 40;

interface Round {
  errors: number;
  /** Request → first answer token (queueing included), sorted. */
  waits: number[];
  seconds: number;
}

async function round(count: number, send: (i: number) => Promise<ChatTiming>, sequential: boolean): Promise<Round> {
  const start = performance.now();
  const timings: ChatTiming[] = [];
  if (sequential) for (let i = 0; i < count; i++) timings.push(await send(i));
  else timings.push(...(await Promise.all(Array.from({ length: count }, (_, i) => send(i)))));
  return {
    errors: timings.filter((t) => t.error || Number.isNaN(t.firstText)).length,
    waits: timings.map((t) => t.firstText).sort((a, b) => a - b),
    seconds: (performance.now() - start) / 1000,
  };
}

/**
 * N questions at once against a fake LLM (one generation at a time, the rest queue), through the
 * answer service and the HTTP API. Every question must be answered; the baseline is the same N
 * questions one after another.
 */
export const run: BenchFn = async ({ quick }): Promise<BenchReport> => {
  const levels = quick ? [1, 4, 16] : [1, 4, 16, 64];
  const report: BenchReport = { name: 'concurrency', rows: [], notes: [loadNote()] };
  const fixture = await openSyntheticKb(quick ? 2_000 : 10_000, { questions: 64 });
  const answers: AnswerService = createAnswerService({
    kb: fixture.kb,
    llms: [{ name: 'fake', llm: benchLlm(ANSWER_WORDS, TOKEN_DELAY_MS) }],
    prompts: shippedPrompts(),
  });
  const server = await startServer(fixture.kb, answers);
  const request = (i: number): AnswerRequest => ({
    mode: 'kb',
    question: fixture.questions[i % fixture.questions.length] as string,
    kbs: [fixture.name],
  });
  const transports: Array<[string, (i: number) => Promise<ChatTiming>]> = [
    ['service', (i) => timeAnswer(answers, request(i))],
    ['HTTP', (i) => timeChat(server.url, { mode: 'kb', question: request(i).question, kbs: [fixture.name] })],
  ];
  let totalErrors = 0;
  try {
    for (const [transport, send] of transports) {
      await round(2, send, true); // warm-up
      for (const n of levels) {
        const together = await round(n, send, false);
        const oneByOne = await round(n, send, true);
        totalErrors += together.errors + oneByOne.errors;
        const label = `${transport} ${n} at once`;
        report.rows.push(
          { name: `${label}: errors`, value: together.errors, unit: 'count', target: '0', met: together.errors === 0 },
          { name: `${label}: p50 wait (first token)`, value: percentile(together.waits, 50), unit: 'ms' },
          { name: `${label}: p99 wait (first token)`, value: percentile(together.waits, 99), unit: 'ms' },
          {
            name: `${label}: throughput`,
            value: n / together.seconds,
            unit: 'answers/s',
            baseline: n / oneByOne.seconds,
            baselineName: 'sequential',
          },
        );
      }
    }
    report.notes.push(
      `fake LLM: ${ANSWER_WORDS} words at ${TOKEN_DELAY_MS} ms each (~${ANSWER_WORDS * TOKEN_DELAY_MS} ms per answer), one generation at a time per model (the rest wait in the queue)`,
      'wait = request to first answer token, so it includes the time spent queued behind earlier questions',
      `${fixture.questions.length} distinct questions over a KB of synthetic chunks; errors over all rounds: ${totalErrors}`,
    );
  } finally {
    await server.stop();
    await fixture.close();
  }
  return report;
};
