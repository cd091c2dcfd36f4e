import { TeamKbError } from '../errors.js';
import type { ChatMessage, LlmTokens } from '../llm.js';

export interface BudgetInput {
  system?: string;
  history: ChatMessage[];
  /** Prompt-ready passages, best ranked first. */
  passages: string[];
  /** The final user message for the passages kept. */
  build: (passages: string[]) => string;
  maxTokens: number;
  tokens?: LlmTokens;
  /** Model name, for the message when even the question cannot fit. */
  model: string;
}

export interface FittedPrompt {
  messages: ChatMessage[];
  /** Answer tokens granted (can be below the request when the prompt is long). */
  maxTokens: number;
  /** Tokens of the prompt as counted (0 when the model offers no counter). */
  promptTokens: number;
  passagesLeftOut: number;
  passagesShortened: number;
  historyDropped: number;
  /** Milliseconds spent counting tokens. */
  countMs: number;
}

/** Below this an answer is too short to be useful, so the prompt gives way first. */
export const MIN_ANSWER = 32;
/** Below this a shortened passage says nothing; it is left out instead. */
export const MIN_PASSAGE = 24;

/** Tokenizers differ on joins and the chat format adds a prefix: every fit keeps this much spare. */
export function contextReserve(tokens: Pick<LlmTokens, 'contextSize'>): number {
  return Math.ceil(tokens.contextSize * 0.03) + 8;
}

/**
 * `text` cut to about `keep` tokens and ended with "…": cut by the share of tokens to keep, then
 * measured again, since characters per token vary. `cost` is what the whole text counts.
 */
export function shortenTo(text: string, keep: number, cost: number, tokens: Pick<LlmTokens, 'count'>): string {
  let cut = text.slice(0, Math.floor((text.length * keep) / Math.max(1, cost)));
  for (let n = tokens.count(cut) + 3; n > keep && cut.length > 0; n = tokens.count(cut) + 3) {
    cut = cut.slice(0, Math.floor(((cut.length * keep) / n) * 0.97));
  }
  return `${cut}…`;
}

/**
 * Fits system + history + passages + question + answer tokens into the model's context: the oldest
 * history goes first, then the lowest-ranked passages, then passage tails; the answer budget shrinks
 * only when the question itself is long. Token counts come from the model, so the runtime never has
 * to truncate (or fail on) a prompt that does not fit.
 */
export function fitPrompt(input: BudgetInput): FittedPrompt {
  const started = performance.now();
  const compose = (history: ChatMessage[], passages: string[]): ChatMessage[] => [
    ...(input.system ? [{ role: 'system' as const, content: input.system }] : []),
    ...history,
    { role: 'user', content: input.build(passages) },
  ];
  const { tokens } = input;
  if (!tokens) {
    return {
      messages: compose(input.history, input.passages),
      maxTokens: input.maxTokens,
      promptTokens: 0,
      passagesLeftOut: 0,
      passagesShortened: 0,
      historyDropped: 0,
      countMs: 0,
    };
  }
  const per = tokens.perMessage;
  const reserve = contextReserve(tokens);
  const frame = tokens.count(input.build([])) + 2 * per + (input.system ? tokens.count(input.system) + per : 0);
  const historyCost = input.history.map((m) => tokens.count(m.content) + per);
  const passages = [...input.passages];
  const passageCost = passages.map((p) => tokens.count(p) + 2);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

  let answer = Math.min(input.maxTokens, Math.max(MIN_ANSWER, tokens.contextSize - reserve - frame));
  const limit = () => tokens.contextSize - reserve - answer;
  const total = () => frame + sum(historyCost) + sum(passageCost);

  let historyDropped = 0;
  while (total() > limit() && historyCost.length > 0) {
    historyCost.shift();
    historyDropped++;
  }
  let history = input.history.slice(historyDropped);
  // A history must not open with the model's reply to a question that was dropped.
  if (history[0]?.role === 'assistant') {
    history = history.slice(1);
    historyCost.shift();
    historyDropped++;
  }

  let passagesLeftOut = 0;
  while (total() > limit() && passages.length > 1) {
    passages.pop();
    passageCost.pop();
    passagesLeftOut++;
  }
  let passagesShortened = 0;
  for (let i = passages.length - 1; i >= 0 && total() > limit(); i--) {
    const excess = total() - limit();
    const cost = passageCost[i] ?? 0;
    const keep = cost - excess;
    const text = passages[i] ?? '';
    if (keep < MIN_PASSAGE) {
      passages.splice(i, 1);
      passageCost.splice(i, 1);
      passagesLeftOut++;
      continue;
    }
    passages[i] = shortenTo(text, keep, cost, tokens);
    passageCost[i] = tokens.count(passages[i] as string) + 2;
    passagesShortened++;
  }

  let promptTokens = total();
  if (promptTokens > limit()) {
    const room = tokens.contextSize - reserve - promptTokens;
    if (room < MIN_ANSWER) {
      throw new TeamKbError(
        'INVALID_INPUT',
        `The question is too long for ${input.model}: about ${frame} tokens, and the model reads at most ${tokens.contextSize} tokens in all. Please shorten it.`,
      );
    }
    answer = room;
  }
  const messages = compose(history, passages);
  // Counted piece by piece the prompt is close to exact; the whole chat is measured again only when
  // it comes near the limit, which keeps counting cheap for the usual short prompt.
  if (tokens.countChat && promptTokens > limit() * 0.9) {
    // The exact count of the chat as the model reads it; the runtime refuses what still overflows.
    promptTokens = tokens.countChat(messages);
    answer = Math.max(1, Math.min(answer, tokens.contextSize - promptTokens - 4));
  }
  return {
    messages,
    maxTokens: answer,
    promptTokens,
    passagesLeftOut,
    passagesShortened,
    historyDropped,
    countMs: performance.now() - started,
  };
}

/** The sentence an answer carries when passages did not fit into the model's context. */
export function leftOutNote(fitted: Pick<FittedPrompt, 'passagesLeftOut' | 'passagesShortened'>, zh: boolean): string {
  const { passagesLeftOut: out, passagesShortened: cut } = fitted;
  if (out === 0 && cut === 0) return '';
  if (zh) {
    const parts = [out > 0 ? `${out} 段资料未能放入` : '', cut > 0 ? `${cut} 段资料被截短` : ''].filter(Boolean);
    return `（受模型上下文长度限制，${parts.join('，')}。）`;
  }
  const parts = [
    out > 0 ? `${out} passage${out === 1 ? ' was' : 's were'} left out` : '',
    cut > 0 ? `${cut} passage${cut === 1 ? ' was' : 's were'} shortened` : '',
  ].filter(Boolean);
  return `(To fit the model's context, ${parts.join(' and ')}.)`;
}
