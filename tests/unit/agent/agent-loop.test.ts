import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { estimatedTokens } from '../../../adapters/models/token-estimate.js';
import { readAroundFromStore } from '../../../bots/wiring/read-around.js';
import { LEFT_OUT } from '../../../core/agent/fit-turns.js';
import type { ReadAround, WebSearch } from '../../../core/agent/ports.js';
import { createAgentService } from '../../../core/agent/service.js';
import type { LocalKbService } from '../../../core/kb/service.js';
import type { ChatMessage } from '../../../core/llm.js';
import { collectParts, openAgentCore, publicKbs, scriptedModel } from './helpers/agent-fixture.js';
import { type Script, startScriptedOpenAi, toolResults } from './helpers/scripted-openai.js';

let core: Awaited<ReturnType<typeof openAgentCore>>;
beforeAll(async () => {
  core = await openAgentCore();
});
afterAll(async () => {
  await core.close();
});

interface RunOptions {
  limits?: Record<string, number>;
  signal?: AbortSignal;
  kbs?: string[];
  web?: WebSearch;
  readAround?: ReadAround;
  history?: ChatMessage[];
  /** The model's context in tokens (estimated counts, as for any OpenAI-compatible server). */
  contextSize?: number;
}

async function run(script: Script, opts: RunOptions = {}) {
  const server = await startScriptedOpenAi(script);
  try {
    const agent = createAgentService({
      search: (kbs, q, o) => (core.kb as LocalKbService).search(kbs, q, o),
      visibleKbs: publicKbs(core.kb),
      models: () => scriptedModel(server.url, opts.contextSize),
      limits: opts.limits,
      web: opts.web,
      readAround: opts.readAround,
      link: (kb, file) => `https://kb.example/${kb}/${file}`,
    });
    const result = await collectParts(
      agent.answer({
        principal: 'member',
        question: 'Compare the 2023 and 2024 meal allowance',
        signal: opts.signal,
        kbs: opts.kbs,
        history: opts.history,
      }),
    );
    return { ...result, requests: server.requests };
  } finally {
    await server.close();
  }
}

describe('agent loop against an OpenAI-compatible server with tool calls', () => {
  it('searches twice, calculates, and cites exactly the passages it used', async () => {
    const r = await run((req, turn) => {
      if (turn === 0)
        return { calls: [{ name: 'search_knowledge_base', args: { query: 'meal allowance 2023', kb: 'handbook' } }] };
      if (turn === 1) return { calls: [{ name: 'search_knowledge_base', args: { query: 'meal allowance 2024' } }] };
      if (turn === 2) return { calls: [{ name: 'calculator', args: { expression: '55 - 40' } }] };
      const results = toolResults(req).join('\n');
      const n2023 = /\[(\d+)\][^[]*\n[^[]*40 EUR/.exec(results)?.[1];
      const n2024 = /\[(\d+)\][^[]*\n[^[]*55 EUR/.exec(results)?.[1];
      return { text: `2023: 40 EUR [${n2023}]; 2024: 55 EUR [${n2024}], so 15 EUR more.` };
    });
    expect(r.error).toBeUndefined();
    expect(r.requests).toHaveLength(4);
    // The tools the model was offered, as OpenAI function tools.
    expect(r.requests[0]?.tools?.map((t) => t.function.name)).toEqual([
      'list_knowledge_bases',
      'search_knowledge_base',
      'calculator',
    ]);
    expect(toolResults(r.requests[3] as never).at(-1)).toBe('55 - 40 = 15');
    expect(r.statuses).toContain('Searching handbook for “meal allowance 2023”…');
    expect(r.statuses).toContain('Calculating 55 - 40…');
    expect(r.done?.mode).toBe('agent');
    expect(r.done?.model).toBe('scripted');
    expect(r.done?.sources).toEqual(['handbook']);
    expect(r.done?.citations.map((c) => c.file).sort()).toEqual(['travel-2023.md', 'travel-2024.md']);
    expect(r.done?.citations.every((c) => c.kb === 'handbook' && c.snippet.length > 0)).toBe(true);
    expect(r.text).toBe(r.done?.markdown);
  });

  it('reads around a passage: the neighbouring chunks of the same file, in order', async () => {
    const r = await run(
      (req, turn) => {
        if (turn === 0) return { calls: [{ name: 'search_knowledge_base', args: { query: 'laptops disk encryption IT' } }] };
        if (turn === 1) {
          const n = /\[(\d+)\] \(onboarding\.md/.exec(toolResults(req)[0] ?? '')?.[1];
          return { calls: [{ name: 'read_around_passage', args: { passage: Number(n) } }] };
        }
        return { text: toolResults(req).at(-1) ?? '' };
      },
      { readAround: readAroundFromStore(core) },
    );
    expect(r.requests[0]?.tools?.map((t) => t.function.name)).toContain('read_around_passage');
    expect(r.statuses.some((s) => s.startsWith('Reading more of onboarding.md around ['))).toBe(true);
    const text = r.done?.markdown ?? '';
    // The chunk before it (the front desk) comes first, then the passage itself: the file's own order.
    expect(text.indexOf('front desk')).toBeGreaterThanOrEqual(0);
    expect(text.indexOf('front desk')).toBeLessThan(text.indexOf('Laptops are handed out'));
    expect(text).not.toContain('meal allowance');
  });

  it('cites web results with their links', async () => {
    const web: WebSearch = async (query) => ({
      passages: [
        {
          text: `EU per diem rates 2024 for ${query}: Germany 28 EUR.`,
          title: 'EU per diem',
          url: 'https://example.org/per-diem',
          score: 0.8,
        },
      ],
    });
    const r = await run(
      (_req, turn) =>
        turn === 0
          ? { calls: [{ name: 'web_search', args: { query: 'per diem Germany' } }] }
          : { text: 'Germany pays 28 EUR [1].' },
      { web },
    );
    expect(r.statuses).toContain('Searching the web for “per diem Germany”…');
    expect(r.done?.citations).toEqual([
      expect.objectContaining({ n: 1, file: 'EU per diem', url: 'https://example.org/per-diem' }),
    ]);
    expect(r.done?.sources).toEqual(['web']);
  });

  it('stops offering tools at the step limit and still answers', async () => {
    const r = await run(
      (req) =>
        req.tool_choice === 'none'
          ? { text: 'Answer from what I found [1].' }
          : { calls: [{ name: 'search_knowledge_base', args: { query: 'travel' } }] },
      { limits: { maxSteps: 3 } },
    );
    expect(r.requests).toHaveLength(3);
    expect(r.requests.map((q) => q.tool_choice)).toEqual(['auto', 'auto', 'none']);
    expect(r.requests[2]?.messages.at(-1)?.content).toContain('step limit of 3');
    expect(r.done?.markdown).toBe('Answer from what I found [1].');
    expect(r.done?.citations.map((c) => c.n)).toEqual([1]);
  });

  it('runs no more tool calls than allowed, telling the model why', async () => {
    const search = (q: string) => ({ name: 'search_knowledge_base', args: { query: q } });
    const r = await run(
      (req) => (req.tool_choice === 'none' ? { text: 'Done.' } : { calls: [search('a'), search('vpn'), search('travel')] }),
      { limits: { maxToolCalls: 2 } },
    );
    const results = toolResults(r.requests[1] as never);
    expect(results).toHaveLength(3);
    expect(results[2]).toBe('Not run: the tool-call limit is reached.');
    expect(r.requests[1]?.tool_choice).toBe('none');
    expect(r.done?.markdown).toBe('Done.');
  });

  it('stops at the token budget with the usage the server reports', async () => {
    const r = await run(
      (req) =>
        req.tool_choice === 'none'
          ? { text: 'Short answer.' }
          : { calls: [{ name: 'list_knowledge_bases', args: {} }], usage: { prompt_tokens: 900, completion_tokens: 200 } },
      { limits: { tokenBudget: 1000 } },
    );
    expect(r.requests).toHaveLength(2);
    expect(r.requests[1]?.messages.at(-1)?.content).toContain('budget of 1000 tokens');
    expect(toolResults(r.requests[1] as never)[0]).toBe('- handbook: Company handbook');
  });

  it('fits every turn into a small context: oldest history, then oldest tool results give way', async () => {
    const contextSize = 1024;
    const long = (query: string) => `${query}: ${'per diem rules and rates for travel in the region. '.repeat(40)}`;
    const web: WebSearch = async (query) => ({
      passages: [{ text: long(query), title: query, url: `https://example.org/${encodeURIComponent(query)}`, score: 0.8 }],
    });
    const history: ChatMessage[] = Array.from({ length: 6 }, (_, i) => ({
      role: i % 2 ? 'assistant' : 'user',
      content: `earlier turn ${i} ${'words '.repeat(150)}`,
    }));
    const r = await run(
      (_req, turn) =>
        turn < 3 ? { calls: [{ name: 'web_search', args: { query: `query ${turn}` } }] } : { text: 'Germany pays 28 EUR [3].' },
      { web, history, contextSize },
    );
    expect(r.done?.markdown).toBe('Germany pays 28 EUR [3].');
    const tokens = estimatedTokens(contextSize);
    for (const req of r.requests) {
      const used = req.messages.reduce((sum, m) => sum + tokens.count(m.content ?? '') + tokens.perMessage, 0);
      expect(used, 'prompt tokens of one turn').toBeLessThanOrEqual(contextSize - 256);
    }
    const first = r.requests[0]?.messages.map((m) => m.content ?? '') ?? [];
    expect(first.some((c) => c.startsWith('earlier turn 0'))).toBe(false);
    expect(first.at(-1)).toBe('Compare the 2023 and 2024 meal allowance');
    const last = toolResults(r.requests[3] as never);
    expect(last).toHaveLength(3);
    // The newest result is read whole; older ones were shortened or left out to make room.
    expect(last[2]).toContain(long('query 2').trim().slice(-40));
    expect(last[0] === LEFT_OUT || last[0]?.endsWith('…')).toBe(true);
  });

  it('hands tool errors back to the model, which may correct itself', async () => {
    const r = await run((req, turn) =>
      turn === 0
        ? {
            calls: [
              { name: 'calculator', args: { expression: '2 +* 3' } },
              { name: 'no_such_tool', args: {} },
              { name: 'search_knowledge_base', args: '{"query": ' },
            ],
          }
        : { text: `ok: ${toolResults(req).join(' | ')}` },
    );
    expect(r.error).toBeUndefined();
    expect(r.done?.markdown).toContain('Error: Cannot calculate that');
    expect(r.done?.markdown).toContain('Unknown tool "no_such_tool"');
    expect(r.done?.markdown).toContain('Error: ');
  });

  it('ends with the passages found so far when the time limit strikes', async () => {
    const r = await run(
      (_req, turn) =>
        turn === 0
          ? { calls: [{ name: 'search_knowledge_base', args: { query: 'VPN key rotate' } }] }
          : { text: 'late', delayMs: 3000 },
      { limits: { timeoutMs: 600 } },
    );
    expect(r.error).toBeUndefined();
    expect(r.done?.markdown).toContain('Time limit reached');
    expect(r.done?.citations.some((c) => c.file === 'vpn.md')).toBe(true);
    expect(r.done?.model).toBeUndefined();
  });

  it('stops at once when the asker cancels', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const r = await run(() => ({ text: 'never', delayMs: 3000 }), { signal: controller.signal });
    expect(r.error?.code).toBe('CANCELLED');
    expect(r.done).toBeUndefined();
  });

  it('says clearly when no model can call tools', async () => {
    const agent = createAgentService({
      search: core.kb.search.bind(core.kb),
      visibleKbs: publicKbs(core.kb),
      models: () => undefined,
    });
    const r = await collectParts(agent.answer({ principal: 'member', question: 'hi' }));
    expect(r.error?.code).toBe('LLM_UNAVAILABLE');
  });
});
