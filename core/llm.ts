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

export interface Llm {
  readonly id: string;
  stream(req: LlmRequest): AsyncIterable<LlmPart>;
  close?(): Promise<void>;
}
