import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { type AIMessage, type BaseMessage, HumanMessage, ToolMessage } from '@langchain/core/messages';
import type { StructuredToolInterface } from '@langchain/core/tools';
import { Annotation, END, MessagesAnnotation, START, StateGraph } from '@langchain/langgraph';
import { describeError } from '../errors.js';
import { fitTurns } from './fit-turns.js';
import type { AgentLimits, ToolModel } from './ports.js';

const last = <T>(value: T, prev: T) => (value === undefined ? prev : value);

/** Conversation plus the counters every bound is checked against. */
export const AgentState = Annotation.Root({
  ...MessagesAnnotation.spec,
  steps: Annotation<number>({ reducer: (prev, next) => last(next, prev), default: () => 0 }),
  toolCalls: Annotation<number>({ reducer: (prev, next) => last(next, prev), default: () => 0 }),
  tokens: Annotation<number>({ reducer: (prev, next) => last(next, prev), default: () => 0 }),
  /** Why the run was told to stop calling tools, if it was. */
  stopped: Annotation<string | undefined>({ reducer: (prev, next) => last(next, prev), default: () => undefined }),
});

export type AgentStateValue = typeof AgentState.State;

const FINAL_NUDGE =
  'Stop using tools now ({why}). Write the final answer from the passages above, citing them as [n]. If they do not answer the question, say what is missing.';

/** Prompt + completion tokens of one turn: what the model reported, else about 4 characters per token. */
function tokensOf(messages: BaseMessage[], reply: AIMessage): number {
  const reported = reply.usage_metadata?.total_tokens;
  if (reported) return reported;
  const chars = [...messages, reply].reduce((sum, m) => sum + (typeof m.content === 'string' ? m.content.length : 0), 0);
  return Math.ceil(chars / 4);
}

function limitReached(state: AgentStateValue, limits: AgentLimits): string | undefined {
  if (state.steps + 1 >= limits.maxSteps) return `the step limit of ${limits.maxSteps} is reached`;
  if (state.toolCalls >= limits.maxToolCalls) return `the limit of ${limits.maxToolCalls} tool calls is reached`;
  if (state.tokens >= limits.tokenBudget) return `the budget of ${limits.tokenBudget} tokens is spent`;
  return undefined;
}

export interface AgentGraphDeps {
  model: BaseChatModel;
  /** Each turn is fitted into this model's context (tool results shortened, oldest first). */
  fit?: Pick<ToolModel, 'tokens' | 'maxTokens'>;
  tools: StructuredToolInterface[];
  limits: AgentLimits;
  /** Called before a tool runs and once more with its result (for logs and benchmarks). */
  onToolCall?: (name: string, ms: number) => void;
}

/**
 * model ⇄ tools until the model answers in text or a bound is hit; then one last turn with tool
 * use switched off, so every run ends in an answer. Each node returns counters, never mutates.
 */
export function buildAgentGraph(deps: AgentGraphDeps) {
  const { model, tools, limits } = deps;
  if (!model.bindTools) throw new Error('This chat model cannot call tools.');
  const withTools = model.bindTools(tools);
  const answerOnly = model.bindTools(tools, { tool_choice: 'none' } as never);
  const byName = new Map(tools.map((t) => [t.name, t]));

  async function callModel(state: AgentStateValue, config: { signal?: AbortSignal }) {
    const why = state.stopped ?? limitReached(state, limits);
    const turns = why ? [...state.messages, new HumanMessage(FINAL_NUDGE.replace('{why}', why))] : state.messages;
    const messages = fitTurns(turns, deps.fit?.tokens, deps.fit?.maxTokens ?? 512);
    const reply = (await (why ? answerOnly : withTools).invoke(messages, { signal: config.signal })) as AIMessage;
    // A model told to stop may still try a call: its text stands as the answer.
    const answer = why && reply.tool_calls?.length ? Object.assign(reply, { tool_calls: [] }) : reply;
    return { messages: [answer], steps: state.steps + 1, tokens: state.tokens + tokensOf(messages, reply), stopped: why };
  }

  async function runTools(state: AgentStateValue, config: { signal?: AbortSignal }) {
    const reply = state.messages[state.messages.length - 1] as AIMessage;
    const results: ToolMessage[] = [];
    let count = state.toolCalls;
    for (const call of reply.tool_calls ?? []) {
      const id = call.id ?? `${call.name}-${count}`;
      if (count >= limits.maxToolCalls) {
        results.push(new ToolMessage({ tool_call_id: id, name: call.name, content: 'Not run: the tool-call limit is reached.' }));
        continue;
      }
      count++;
      const found = byName.get(call.name);
      const started = performance.now();
      let content: string;
      if (!found) content = `Unknown tool "${call.name}". Available tools: ${[...byName.keys()].join(', ')}.`;
      else {
        try {
          content = String(await found.invoke(call.args, { signal: config.signal }));
        } catch (err) {
          if (config.signal?.aborted) throw err;
          // The model gets the reason and may correct its call; the run goes on.
          content = `Error: ${describeError(err)}`;
        }
      }
      deps.onToolCall?.(call.name, performance.now() - started);
      results.push(new ToolMessage({ tool_call_id: id, name: call.name, content }));
    }
    return { messages: results, toolCalls: count };
  }

  const next = (state: AgentStateValue) => {
    const reply = state.messages[state.messages.length - 1] as AIMessage;
    return reply.tool_calls?.length && !state.stopped ? 'tools' : END;
  };

  return new StateGraph(AgentState)
    .addNode('model', callModel)
    .addNode('tools', runTools)
    .addEdge(START, 'model')
    .addConditionalEdges('model', next, ['tools', END])
    .addEdge('tools', 'model')
    .compile();
}
