import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { Chunk } from '../chunk.js';
import type { KbService } from '../kb-service.js';
import type { LlmTokens } from '../llm.js';
import type { WebPassageInput } from './passages.js';

export interface KbSummary {
  name: string;
  description?: string;
}

export type KbSearch = KbService['search'];

export type WebSearch = (query: string, signal?: AbortSignal) => Promise<{ passages: WebPassageInput[] }>;

/** The chunks just before and after one chunk of the same file (the chunk itself included), in file order. */
export type ReadAround = (kb: string, chunk: Chunk, signal?: AbortSignal) => Promise<Chunk[]>;

/** A tool-capable chat model with what fitting prompts into its context needs. */
export interface ToolModel {
  name: string;
  model: BaseChatModel;
  /** The model's token counter and context size; without it turns are not fitted. */
  tokens?: LlmTokens;
  /** Answer tokens asked for per turn. */
  maxTokens?: number;
}

/** A chat model that can call tools, by configured name; undefined when none can. */
export type ToolModelPicker = (name?: string) => ToolModel | undefined;

/** Bounds of one agent run. */
export interface AgentLimits {
  /** Model turns, the last one included. */
  maxSteps: number;
  maxToolCalls: number;
  timeoutMs: number;
  /** Prompt + completion tokens over all model turns. */
  tokenBudget: number;
}

export const DEFAULT_AGENT_LIMITS: AgentLimits = { maxSteps: 6, maxToolCalls: 8, timeoutMs: 120_000, tokenBudget: 24_000 };
