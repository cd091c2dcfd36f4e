import type { ChatMessage, Llm } from './llm.js';

/** A tool the model may call: name, what it does, and its arguments as a JSON schema object. */
export interface ToolSpec {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

export interface ToolCall {
  id: string;
  name: string;
  args: Record<string, unknown>;
}

/** Chat turns with tool use: the model's calls ride on its message, each result is a `tool` turn. */
export type ToolChatMessage =
  | (ChatMessage & { toolCalls?: ToolCall[] })
  | { role: 'tool'; toolCallId: string; name: string; content: string };

export interface ToolChatRequest {
  messages: ToolChatMessage[];
  /** Empty: the model must answer in text. */
  tools: ToolSpec[];
  /** 'none': the tools stay known (earlier calls make sense) but the model must answer in text. */
  toolChoice?: 'auto' | 'none';
  maxTokens?: number;
  temperature?: number;
  signal?: AbortSignal;
}

export interface ToolChatResult {
  text: string;
  toolCalls: ToolCall[];
  usage?: { promptTokens?: number; completionTokens?: number };
}

/** An LLM that can also decide to call tools (OpenAI tool calls, llama.cpp function calling). */
export interface ToolCallingLlm extends Llm {
  chatWithTools(req: ToolChatRequest): Promise<ToolChatResult>;
}

export function canCallTools(llm: Llm): llm is ToolCallingLlm {
  return typeof (llm as Partial<ToolCallingLlm>).chatWithTools === 'function';
}
