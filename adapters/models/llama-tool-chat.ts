import {
  type ChatHistoryItem,
  type ChatModelFunctionCall,
  type ChatModelFunctions,
  type ChatModelResponse,
  type ChatWrapper,
  type GbnfJsonSchema,
  LlamaChat,
  type LlamaContextSequence,
} from 'node-llama-cpp';
import { TeamKbError } from '../../core/errors.js';
import type { ToolChatMessage, ToolChatRequest, ToolChatResult, ToolSpec } from '../../core/tool-llm.js';
import { cancelledError } from './cancel.js';
import type { ResourcePool } from './sequence-pool.js';

export interface LlamaToolChatEnv {
  name: string;
  pool: ResourcePool<LlamaContextSequence>;
  chatWrapper: ChatWrapper;
  contextSize: number;
}

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  description?: string;
  items?: JsonSchema;
};
const SCALARS = new Set(['string', 'number', 'integer', 'boolean']);

/**
 * JSON schema → the subset llama.cpp grammars take. Grammar objects have no optional keys, so an
 * optional argument becomes "value or null" and nulls are dropped from the parsed call.
 */
export function toGbnfSchema(schema: JsonSchema, optional = false): GbnfJsonSchema {
  const description = schema.description ? { description: schema.description } : {};
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  if (schema.enum?.every((v) => typeof v === 'string')) {
    const values = optional ? [...(schema.enum as string[]), null] : (schema.enum as string[]);
    return { enum: values, ...description } as GbnfJsonSchema;
  }
  if (type === 'object' || schema.properties) {
    const required = new Set(schema.required ?? []);
    const properties = Object.fromEntries(
      Object.entries(schema.properties ?? {}).map(([key, value]) => [key, toGbnfSchema(value, !required.has(key))]),
    );
    return { type: optional ? ['object', 'null'] : 'object', properties, ...description } as GbnfJsonSchema;
  }
  if (type === 'array') {
    return { type: 'array', items: toGbnfSchema(schema.items ?? { type: 'string' }), ...description } as GbnfJsonSchema;
  }
  const scalar = type && SCALARS.has(type) ? type : 'string';
  return { type: optional ? [scalar, 'null'] : scalar, ...description } as GbnfJsonSchema;
}

export function toFunctions(tools: ToolSpec[]): ChatModelFunctions {
  return Object.fromEntries(
    tools.map((t) => [t.name, { description: t.description, params: toGbnfSchema(t.parameters as JsonSchema) }]),
  );
}

/** Tool turns as llama.cpp chat history: each call sits in the model's response with its result. */
export function toToolHistory(messages: ToolChatMessage[]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = [];
  for (const m of messages) {
    if (m.role === 'system') history.push({ type: 'system', text: m.content });
    else if (m.role === 'user') history.push({ type: 'user', text: m.content });
    else if (m.role === 'assistant') {
      const response: ChatModelResponse['response'] = m.content ? [m.content] : [];
      for (const call of m.toolCalls ?? []) {
        response.push({ type: 'functionCall', name: call.name, params: call.args, result: undefined });
      }
      history.push({ type: 'model', response });
    } else {
      const name = m.role === 'tool' ? m.name : '';
      const model = history[history.length - 1];
      const call =
        model?.type === 'model'
          ? (model.response.find(
              (r) => typeof r === 'object' && r.type === 'functionCall' && r.name === name && r.result === undefined,
            ) as ChatModelFunctionCall | undefined)
          : undefined;
      if (call) call.result = m.content;
    }
  }
  // After tool results the model continues the same response; otherwise it starts a new one.
  const lastMessage = messages[messages.length - 1];
  if (lastMessage?.role !== 'tool') history.push({ type: 'model', response: [] });
  return history;
}

const dropNulls = (params: unknown): Record<string, unknown> =>
  params && typeof params === 'object'
    ? Object.fromEntries(Object.entries(params as Record<string, unknown>).filter(([, v]) => v !== null))
    : {};

/** One turn with node-llama-cpp function calling; the grammar keeps every call valid JSON for its tool. */
export async function llamaToolChat(env: LlamaToolChatEnv, req: ToolChatRequest): Promise<ToolChatResult> {
  const sequence = await env.pool.acquire(req.signal);
  const chat = new LlamaChat({ contextSequence: sequence, chatWrapper: env.chatWrapper });
  const before = { input: sequence.tokenMeter.usedInputTokens, output: sequence.tokenMeter.usedOutputTokens };
  const useTools = req.tools.length > 0 && req.toolChoice !== 'none';
  try {
    const result = await chat.generateResponse(toToolHistory(req.messages), {
      ...(useTools ? { functions: toFunctions(req.tools), documentFunctionParams: true } : {}),
      signal: req.signal,
      maxTokens: req.maxTokens ?? Math.floor(env.contextSize / 2),
      temperature: req.temperature,
    });
    const calls = (result.functionCalls ?? []) as Array<{ functionName: string; params: unknown }>;
    return {
      text: result.response,
      toolCalls: calls.map((c, i) => ({ id: `call_${i}_${c.functionName}`, name: c.functionName, args: dropNulls(c.params) })),
      usage: {
        promptTokens: sequence.tokenMeter.usedInputTokens - before.input,
        completionTokens: sequence.tokenMeter.usedOutputTokens - before.output,
      },
    };
  } catch (err) {
    if (req.signal?.aborted) throw cancelledError('Generation');
    throw new TeamKbError('LLM_UNAVAILABLE', `Generation with ${env.name} failed: ${(err as Error).message}`, { cause: err });
  } finally {
    chat.dispose({ disposeSequence: false });
    env.pool.release(sequence);
  }
}
