export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export type LlmPart =
  | { type: 'text'; text: string }
  | { type: 'done'; usage?: { promptTokens?: number; completionTokens?: number } };

export interface LlmRequest {
  messages: ChatMessage[];
  maxTokens?: number;
  temperature?: number;
  signal?: AbortSignal;
}

/**
 * How much a model can read at once and how it counts text, so prompts can be fitted before they
 * are sent (a prompt that does not fit fails inside the model runtime instead of answering).
 */
export interface LlmTokens {
  /** Tokens one request may use: prompt plus answer. */
  readonly contextSize: number;
  /** Tokens of a piece of text, with the model's own tokenizer where there is one. */
  count(text: string): number;
  /** Tokens the chat format adds around each message (role markers, separators). */
  readonly perMessage: number;
  /** Tokens of the whole chat as the model will read it, where the chat format can be measured exactly. */
  countChat?(messages: ChatMessage[]): number;
}

export interface Llm {
  readonly id: string;
  readonly tokens?: LlmTokens;
  stream(req: LlmRequest): AsyncIterable<LlmPart>;
  close?(): Promise<void>;
}
