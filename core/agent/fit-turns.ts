import { type AIMessage, type BaseMessage, ToolMessage } from '@langchain/core/messages';
import { contextReserve, MIN_ANSWER, MIN_PASSAGE, shortenTo } from '../answering/budget.js';
import type { LlmTokens } from '../llm.js';

/** What a tool result reads once nothing of it fits any more. */
export const LEFT_OUT = '(Left out: the model cannot read more at once. Search again with narrower words.)';

export const messageText = (message: BaseMessage | undefined): string =>
  typeof message?.content === 'string'
    ? message.content
    : (message?.content ?? []).map((p) => ('text' in p && typeof p.text === 'string' ? p.text : '')).join('');

function costOf(message: BaseMessage, tokens: LlmTokens): number {
  const calls = (message as AIMessage).tool_calls;
  const callCost = calls?.length ? tokens.count(JSON.stringify(calls.map((c) => [c.name, c.args]))) : 0;
  return tokens.count(messageText(message)) + tokens.perMessage + callCost;
}

/**
 * The turns of an agent run fitted into the model's context, the way answers are fitted (same
 * reserve, same passage shortening): tool results grow with every search, so the oldest results are
 * shortened first, then left out, until system + turns + answer tokens fit. The system prompt, the
 * question and the model's own calls stay whole. Returns the input when the model offers no counter.
 */
export function fitTurns(messages: BaseMessage[], tokens: LlmTokens | undefined, maxTokens: number): BaseMessage[] {
  if (!tokens) return messages;
  const costs = messages.map((m) => costOf(m, tokens));
  const total = () => costs.reduce((a, b) => a + b, 0);
  const answer = Math.min(maxTokens, Math.max(MIN_ANSWER, Math.floor(tokens.contextSize / 4)));
  const limit = tokens.contextSize - contextReserve(tokens) - answer;
  if (total() <= limit) return messages;
  const fitted = [...messages];
  const leftOutCost = tokens.count(LEFT_OUT) + tokens.perMessage;
  for (let i = 0; i < fitted.length && total() > limit; i++) {
    const message = fitted[i] as BaseMessage;
    if (!(message instanceof ToolMessage)) continue;
    const cost = costs[i] as number;
    const keep = cost - (total() - limit) - tokens.perMessage;
    const content = keep >= MIN_PASSAGE ? shortenTo(messageText(message), keep, cost, tokens) : LEFT_OUT;
    if (content === LEFT_OUT && cost <= leftOutCost) continue;
    fitted[i] = new ToolMessage({ tool_call_id: message.tool_call_id, name: message.name, content });
    costs[i] = tokens.count(content) + tokens.perMessage;
  }
  return fitted;
}
