import { TeamKbChatModel } from '../../adapters/models/langchain-chat-model.js';
import { calculate } from '../../core/agent/calculator.js';
import type { KbSearch } from '../../core/agent/ports.js';
import { createAgentService } from '../../core/agent/service.js';
import type { AnswerPart } from '../../core/answer.js';
import type { LlmPart } from '../../core/llm.js';
import type { ToolCallingLlm, ToolChatRequest, ToolChatResult } from '../../core/tool-llm.js';
import { loadNote, openSyntheticKb } from './_kb-fixture.js';
import { type BenchOptions, type BenchReport, machine, percentile } from './harness.js';

const STEPS = 3;

/**
 * A model that answers instantly and always the same way: search, calculate, answer citing [1].
 * Its own time is measured and taken out, so what remains is the loop's overhead.
 */
function instantModel(clock: { modelMs: number }): ToolCallingLlm {
  return {
    id: 'bench:instant',
    async *stream(): AsyncIterable<LlmPart> {
      yield { type: 'done' };
    },
    async chatWithTools(req: ToolChatRequest): Promise<ToolChatResult> {
      const started = performance.now();
      const turn = req.messages.filter((m) => m.role === 'tool').length;
      const question = req.messages.find((m) => m.role === 'user')?.content ?? '';
      const result: ToolChatResult =
        turn === 0
          ? { text: '', toolCalls: [{ id: 'c1', name: 'search_knowledge_base', args: { query: question } }] }
          : turn === 1
            ? { text: '', toolCalls: [{ id: 'c2', name: 'calculator', args: { expression: '(55 - 40) / 40 * 100' } }] }
            : { text: 'The answer is in [1]; the change is 37.5%.', toolCalls: [] };
      clock.modelMs += performance.now() - started;
      return { ...result, usage: { promptTokens: 200, completionTokens: 20 } };
    },
  };
}

/** How long a bare event-loop turn takes right now: the floor under every await-heavy loop. */
async function eventLoopYield(): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 20; i++) {
    const started = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 0));
    times.push(performance.now() - started);
  }
  return percentile(
    times.sort((a, b) => a - b),
    50,
  );
}

async function drain(parts: AsyncIterable<AnswerPart>): Promise<void> {
  for await (const part of parts) if (part.type === 'error') throw new Error(part.message);
}

/**
 * Agent loop overhead per step (LangGraph state, LangChain model and tool wrappers, status parts,
 * citation bookkeeping), excluding model time and tool time, beside the same three steps written
 * as a plain loop; and the latency of each tool on a synthetic KB.
 */
export async function run(opts: BenchOptions): Promise<BenchReport> {
  const size = opts.quick ? 2_000 : 10_000;
  const runs = opts.quick ? 20 : 60;
  const bench = await openSyntheticKb(size, { questions: runs });
  const clock = { modelMs: 0 };
  const tools: Record<string, number[]> = {};
  const llm = instantModel(clock);
  // Overhead runs use a fixed result set, so search work (and its native threads) adds no noise;
  // tool latency is measured separately on the real KB.
  const fixedHits = await bench.kb.search([bench.name], bench.questions[0] as string);
  const fixedSearch = async () => fixedHits;
  const agentWith = (search: KbSearch) =>
    createAgentService({
      search,
      visibleKbs: () => [{ name: bench.name }],
      models: () => ({ name: 'instant', model: new TeamKbChatModel(llm) }),
      onToolCall: (name, ms) => {
        tools[name] ??= [];
        tools[name].push(ms);
      },
    });
  const agent = agentWith(fixedSearch);
  const realAgent = agentWith((kbs, q, o) => bench.kb.search(kbs, q, o));
  try {
    const agentWall: number[] = [];
    const plainWall: number[] = [];
    const agentCpu: number[] = [];
    const plainCpu: number[] = [];
    const cpuMs = (since: NodeJS.CpuUsage) => {
      const used = process.cpuUsage(since);
      return (used.user + used.system) / 1000;
    };
    for (let i = -3; i < runs; i++) {
      const question = bench.questions[Math.max(0, i) % bench.questions.length] as string;
      // The agent loop.
      clock.modelMs = 0;
      const before = Object.values(tools).reduce((n, t) => n + t.length, 0);
      let cpu = process.cpuUsage();
      let started = performance.now();
      await drain(agent.answer({ principal: 'bench', question }));
      const total = performance.now() - started;
      const agentCpuMs = cpuMs(cpu);
      const toolMs = Object.values(tools)
        .flat()
        .slice(before)
        .reduce((a, b) => a + b, 0);
      // The same steps by hand: model, search, model, calculator, model.
      const agentModelMs = clock.modelMs;
      clock.modelMs = 0;
      cpu = process.cpuUsage();
      started = performance.now();
      let spent = 0;
      const messages: ToolChatRequest['messages'] = [{ role: 'user', content: question }];
      for (let step = 0; step < STEPS; step++) {
        const reply = await llm.chatWithTools({ messages, tools: [] });
        for (const call of reply.toolCalls) {
          const t = performance.now();
          const content =
            call.name === 'calculator' ? String(calculate(String(call.args.expression))) : JSON.stringify(await fixedSearch());
          spent += performance.now() - t;
          messages.push(
            { role: 'assistant', content: '', toolCalls: [call] },
            { role: 'tool', toolCallId: call.id, name: call.name, content },
          );
        }
      }
      const plainTotal = performance.now() - started;
      const plainCpuMs = cpuMs(cpu);
      if (i < 0) continue;
      agentWall.push((total - agentModelMs - toolMs) / STEPS);
      plainWall.push((plainTotal - clock.modelMs - spent) / STEPS);
      // Both runs do the same model and tool work, so the CPU difference is the loop's own cost.
      agentCpu.push(Math.max(0, agentCpuMs - plainCpuMs) / STEPS);
      plainCpu.push(0);
    }
    for (const key of Object.keys(tools)) delete tools[key];
    for (const question of bench.questions) await drain(realAgent.answer({ principal: 'bench', question }));
    const p = (xs: number[], q: number) =>
      percentile(
        [...xs].sort((a, b) => a - b),
        q,
      );
    const search = tools.search_knowledge_base ?? [];
    const calc = tools.calculator ?? [];
    const yieldMs = await eventLoopYield();
    const cpuP95 = p(agentCpu, 95);
    return {
      name: opts.quick ? 'agent-quick' : 'agent',
      rows: [
        {
          name: 'overhead per step, CPU p50',
          value: p(agentCpu, 50),
          unit: 'ms',
          baseline: 0,
          baselineName: 'plain loop (same work)',
        },
        {
          name: 'overhead per step, CPU p95',
          value: cpuP95,
          unit: 'ms',
          target: 'p95 <= 20 ms',
          met: cpuP95 <= 20,
        },
        {
          name: 'overhead per step, wall p50',
          value: p(agentWall, 50),
          unit: 'ms',
          baseline: p(plainWall, 50),
          baselineName: 'plain loop',
        },
        {
          name: 'overhead per step, wall p95',
          value: p(agentWall, 95),
          unit: 'ms',
          baseline: p(plainWall, 95),
          baselineName: 'plain loop',
        },
        { name: 'event-loop yield (setTimeout 0) p50', value: yieldMs, unit: 'ms' },
        { name: `tool search_knowledge_base p50 (${size} chunks)`, value: p(search, 50), unit: 'ms' },
        { name: `tool search_knowledge_base p95 (${size} chunks)`, value: p(search, 95), unit: 'ms' },
        { name: 'tool calculator p50', value: p(calc, 50), unit: 'ms' },
      ],
      notes: [
        `${runs} questions, ${STEPS} model turns each (search, calculator, answer) with an instant in-process model and a fixed search result; model and tool time are measured and subtracted; tool latency from a second pass on the real ${size}-chunk KB (hybrid search, fake embedder)`,
        'baseline: the same turns and tool calls as a hand-written loop without LangGraph/LangChain, in the same run',
        'CPU overhead = process CPU time of the agent run minus that of the plain loop doing the same work; wall overhead also counts waits for the event loop, which grow with machine load (see the setTimeout row)',
        loadNote(),
      ],
      extra: { machine: machine(), size, runs },
    };
  } finally {
    await bench.close();
  }
}
