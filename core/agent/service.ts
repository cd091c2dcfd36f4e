import { AIMessage, type BaseMessage, HumanMessage, SystemMessage } from '@langchain/core/messages';
import type { AnswerPart, CitationLink } from '../answer.js';
import { fitPrompt } from '../answering/budget.js';
import { streamAnswerParts } from '../answering/channel.js';
import { fillTemplate } from '../answering/prompt.js';
import { TeamKbError } from '../errors.js';
import type { ChatMessage } from '../llm.js';
import { messageText } from './fit-turns.js';
import { buildAgentGraph } from './graph.js';
import { PassageLedger } from './passages.js';
import {
  type AgentLimits,
  DEFAULT_AGENT_LIMITS,
  type KbSearch,
  type KbSummary,
  type ReadAround,
  type ToolModelPicker,
  type WebSearch,
} from './ports.js';
import { agentTools } from './tools.js';

export interface AgentRequest<P> {
  /** Who asks; only the knowledge bases `visibleKbs(principal)` returns are ever searched. */
  principal: P;
  question: string;
  history?: ChatMessage[];
  /** Narrow the run to these KBs (each must be visible to the principal). */
  kbs?: string[];
  /** Configured model name; the first tool-capable one otherwise. */
  model?: string;
  signal?: AbortSignal;
}

export interface AgentDeps<P> {
  search: KbSearch;
  /** The one access decision the agent takes: which knowledge bases this principal may see. */
  visibleKbs: (principal: P) => KbSummary[];
  models: ToolModelPicker;
  web?: WebSearch;
  readAround?: ReadAround;
  link?: CitationLink;
  limits?: Partial<AgentLimits>;
  /** System prompt; {kbs} and {date} are filled in. */
  prompt?: string;
  topK?: number;
  historyTurns?: number;
  /** Observes each tool call's duration (benchmarks, logs). */
  onToolCall?: (name: string, ms: number) => void;
}

export interface AgentService<P> {
  answer(req: AgentRequest<P>): AsyncIterable<AnswerPart>;
}

export const DEFAULT_AGENT_PROMPT = `You are TeamKB, a careful research assistant for a team. Use the tools to find facts: search the knowledge bases (several searches with different words are fine), read around a passage when it is cut off, search the web only for things the knowledge bases cannot hold, and use the calculator for arithmetic. Cite every fact with the passage number in square brackets, like [1] or [2][3]. If nothing found answers the question, say so instead of guessing. Answer in the language of the question.
Knowledge bases you may search: {kbs}
Today is {date}.`;

type Push = (part: AnswerPart) => void;

function scopeOf<P>(deps: AgentDeps<P>, req: AgentRequest<P>): KbSummary[] {
  const visible = deps.visibleKbs(req.principal);
  if (!req.kbs?.length) return visible;
  return req.kbs.map((name) => {
    const kb = visible.find((k) => k.name === name);
    // Missing and hidden read the same, so a hidden KB's name is never confirmed.
    if (!kb) throw new TeamKbError('KB_NOT_FOUND', `No knowledge base named "${name}".`, { details: { kb: name } });
    return kb;
  });
}

const toLangChain = (m: ChatMessage): BaseMessage =>
  m.role === 'system'
    ? new SystemMessage(m.content)
    : m.role === 'assistant'
      ? new AIMessage(m.content)
      : new HumanMessage(m.content);

/** Tool-calling answers: the model decides what to search; the answer cites what it used. */
export function createAgentService<P>(deps: AgentDeps<P>): AgentService<P> {
  const limits: AgentLimits = { ...DEFAULT_AGENT_LIMITS, ...deps.limits };

  async function produce(req: AgentRequest<P>, push: Push): Promise<void> {
    const question = req.question.trim();
    if (!question) throw new TeamKbError('INVALID_INPUT', 'The question is empty.');
    const kbs = scopeOf(deps, req);
    const picked = deps.models(req.model);
    if (!picked) {
      throw new TeamKbError(
        'LLM_UNAVAILABLE',
        'Agent mode needs a model that can call tools: an OpenAI-compatible server with tool calls (openai:<model>@<url>) or a local GGUF chat model.',
      );
    }
    const timeout = AbortSignal.timeout(limits.timeoutMs);
    const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
    const ledger = new PassageLedger(deps.link);
    const tools = agentTools({
      search: deps.search,
      kbs,
      ledger,
      status: (text) => push({ type: 'status', text }),
      web: deps.web,
      readAround: deps.readAround,
      topK: deps.topK,
      signal,
    });
    const graph = buildAgentGraph({ model: picked.model, fit: picked, tools, limits, onToolCall: deps.onToolCall });
    const system = fillTemplate(deps.prompt ?? DEFAULT_AGENT_PROMPT, {
      kbs: kbs.map((k) => k.name).join(', ') || 'none',
      date: new Date().toISOString().slice(0, 10),
    });
    // The answer service's budget: oldest history first, so system + history + question fit the context.
    const fitted = fitPrompt({
      system,
      history: (req.history ?? []).slice(-(deps.historyTurns ?? 3) * 2),
      passages: [],
      build: () => question,
      maxTokens: picked.maxTokens ?? 512,
      tokens: picked.tokens,
      model: picked.name,
    });
    push({ type: 'status', text: 'Thinking…' });
    let markdown: string;
    try {
      const state = await graph.invoke(
        { messages: fitted.messages.map(toLangChain) },
        { signal, recursionLimit: limits.maxSteps * 2 + 4 },
      );
      markdown = messageText(state.messages[state.messages.length - 1]).trim();
    } catch (err) {
      if (req.signal?.aborted) throw new TeamKbError('CANCELLED', 'The question was cancelled.', { cause: err });
      if (!timeout.aborted) throw err;
      if (ledger.size === 0) {
        throw new TeamKbError(
          'CANCELLED',
          `The agent found nothing within its time limit of ${Math.round(limits.timeoutMs / 1000)} s.`,
        );
      }
      // Out of time: what was found still helps, quoted as the extractive answer quotes.
      markdown = `_Time limit reached; these are the passages found so far._\n\n${ledger.quotes()}`;
      return finish(push, markdown, ledger, undefined);
    }
    if (!markdown) {
      markdown =
        ledger.size > 0
          ? `_The model wrote no answer; these are the passages it found._\n\n${ledger.quotes()}`
          : 'I could not find an answer to this question.';
    }
    push({ type: 'text', text: markdown });
    finish(push, markdown, ledger, picked.name);
  }

  function finish(push: Push, markdown: string, ledger: PassageLedger, model: string | undefined) {
    const citations = ledger.citationsFor(markdown);
    for (const citation of citations) push({ type: 'citation', citation });
    const sources = ledger.sources();
    push({
      type: 'done',
      answer: { markdown, citations, sources: sources.length ? sources : ['llm'], mode: 'agent', ...(model ? { model } : {}) },
    });
  }

  return {
    answer(req) {
      return streamAnswerParts((push) => produce(req, push));
    },
  };
}
