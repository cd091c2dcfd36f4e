import { createAnswerService } from '../../core/answering/answer-service.js';
import { benchLlm, timeAnswer } from './_answer-client.js';
import { type ChatTiming, startServer, timeChat } from './_http.js';
import { instrumentKb, instrumentLlm, median, timeLlmDirect } from './_instrument.js';
import { loadNote, openSyntheticKb, shippedPrompts } from './_kb-fixture.js';
import { tokenBudgetRows } from './_token-budget.js';
import type { BenchFn, BenchReport } from './harness.js';
import { percentile } from './harness.js';

const CHUNKS = 10_000;
const TOKEN_DELAY_MS = 5;
const ANSWER_WORDS = 60;
const OVERHEAD_TARGET_MS = 50;

interface Breakdown {
  retrieval: number;
  prompt: number;
  prefill: number;
  decode: number;
  llm: number;
  overhead: number;
}

/**
 * Request → answer through the answer service and the HTTP API over a 10k-chunk KB, with a fake LLM
 * that streams a fixed answer at a fixed pace. Everything except the LLM's own time is our overhead.
 */
export const run: BenchFn = async ({ quick }): Promise<BenchReport> => {
  const requests = quick ? 12 : 40;
  const report: BenchReport = { name: 'answer', rows: [], notes: [loadNote()] };
  const built = performance.now();
  const fixture = await openSyntheticKb(CHUNKS, { questions: requests });
  const buildSeconds = (performance.now() - built) / 1000;
  const llm = instrumentLlm(benchLlm(ANSWER_WORDS, TOKEN_DELAY_MS));
  const kb = instrumentKb(fixture.kb);
  const answers = createAnswerService({ kb, llms: [{ name: 'fake', llm }], prompts: shippedPrompts() });
  const server = await startServer(fixture.kb, answers);
  const ask = (i: number) => ({
    mode: 'kb' as const,
    question: fixture.questions[i % fixture.questions.length] as string,
    kbs: [fixture.name],
  });

  const breakdown = (timing: ChatTiming): Breakdown => {
    const search = kb.searches.at(-1);
    const call = llm.calls.at(-1);
    if (!search || !call?.firstToken || !call.end) throw new Error('request did not reach the LLM');
    const llmMs = call.end - call.start;
    return {
      retrieval: search.end - search.start,
      prompt: call.start - search.end,
      prefill: call.firstToken - call.start,
      decode: call.end - call.firstToken,
      llm: llmMs,
      overhead: timing.total - llmMs,
    };
  };

  const measure = async (via: 'service' | 'http') => {
    const timings: ChatTiming[] = [];
    const parts: Breakdown[] = [];
    for (let i = -2; i < requests; i++) {
      const timing =
        via === 'service'
          ? await timeAnswer(answers, ask(i + 2))
          : await timeChat(server.url, { mode: 'kb', question: ask(i + 2).question, kbs: [fixture.name] });
      if (timing.error) throw new Error(`${via} request failed: ${timing.error}`);
      if (i < 0) continue; // warm-up
      timings.push(timing);
      parts.push(breakdown(timing));
    }
    return { timings, parts };
  };

  try {
    const service = await measure('service');
    const http = await measure('http');
    const prompt = llm.calls.at(-1)?.request;
    const direct: Array<{ firstToken: number; total: number }> = [];
    for (let i = 0; i < requests && prompt; i++) direct.push(await timeLlmDirect(benchLlm(ANSWER_WORDS, TOKEN_DELAY_MS), prompt));
    const directFirst = median(direct.map((d) => d.firstToken));
    const directTotal = median(direct.map((d) => d.total));

    for (const [label, data] of [
      ['answer service', service],
      ['HTTP /api/chat', http],
    ] as const) {
      const m = (pick: (b: Breakdown) => number) => median(data.parts.map(pick));
      const overhead = data.parts.map((b) => b.overhead).sort((a, b) => a - b);
      report.rows.push(
        { name: `${label}: first byte`, value: median(data.timings.map((t) => t.firstByte)), unit: 'ms' },
        {
          name: `${label}: first answer token`,
          value: median(data.timings.map((t) => t.firstText)),
          unit: 'ms',
          baseline: directFirst,
          baselineName: 'fake LLM direct',
        },
        {
          name: `${label}: total`,
          value: median(data.timings.map((t) => t.total)),
          unit: 'ms',
          baseline: directTotal,
          baselineName: 'fake LLM direct',
        },
        { name: `${label}: retrieval`, value: m((b) => b.retrieval), unit: 'ms' },
        { name: `${label}: prompt building`, value: m((b) => b.prompt), unit: 'ms' },
        { name: `${label}: LLM prefill (first token)`, value: m((b) => b.prefill), unit: 'ms' },
        { name: `${label}: LLM decode`, value: m((b) => b.decode), unit: 'ms' },
        {
          name: `${label}: pipeline overhead (total − LLM), p50`,
          value: percentile(overhead, 50),
          unit: 'ms',
          target: `<= ${OVERHEAD_TARGET_MS} ms`,
          met: percentile(overhead, 50) <= OVERHEAD_TARGET_MS,
        },
        { name: `${label}: pipeline overhead, p95`, value: percentile(overhead, 95), unit: 'ms' },
      );
    }
    report.notes.push(
      `${CHUNKS} synthetic chunks (dim 512) in the embedded store, hybrid search top 5, fake embedder for the query (${buildSeconds.toFixed(1)} s to build)`,
      `fake LLM: ${ANSWER_WORDS} words, ${TOKEN_DELAY_MS} ms before each word (prefill = one word's delay); ${requests} sequential requests after 2 warm-up, medians`,
      'overhead = total as the caller sees it − time inside the LLM stream: retrieval, prompt building, queueing, part streaming (and HTTP/SSE for the API rows)',
    );
    const budget = await tokenBudgetRows(
      fixture.kb,
      fixture.name,
      fixture.questions,
      shippedPrompts().kb_answer ?? '{context}\n\n{question}',
    );
    report.rows.push(...budget.rows);
    report.notes.push(...budget.notes);
    report.extra = { chunks: CHUNKS, requests, tokenDelayMs: TOKEN_DELAY_MS, answerWords: ANSWER_WORDS };
  } finally {
    await server.stop();
    await fixture.close();
  }
  return report;
};
