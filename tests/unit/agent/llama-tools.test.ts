import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createLlm } from '../../../adapters/models/create-llm.js';
import { TeamKbChatModel } from '../../../adapters/models/langchain-chat-model.js';
import { getLlamaRuntime } from '../../../adapters/models/llama-runtime.js';
import { toFunctions, toGbnfSchema, toToolHistory } from '../../../adapters/models/llama-tool-chat.js';
import { createAgentService } from '../../../core/agent/service.js';
import { isTeamKbError } from '../../../core/errors.js';
import { canCallTools, type ToolCallingLlm, type ToolSpec } from '../../../core/tool-llm.js';
import { sharedFixture } from '../../helpers/shared.js';
import { collectParts } from './helpers/agent-fixture.js';

const searchSpec: ToolSpec = {
  name: 'search_knowledge_base',
  description: 'Search',
  parameters: z.toJSONSchema(
    z.object({ query: z.string().min(1), kb: z.string().optional(), n: z.number().int().optional() }),
  ) as Record<string, unknown>,
};

describe('llama.cpp function-calling plumbing (no model needed)', () => {
  it('turns a JSON schema into a grammar schema: optional arguments become nullable', () => {
    expect(toGbnfSchema(searchSpec.parameters as never)).toEqual({
      type: 'object',
      properties: { query: { type: 'string' }, kb: { type: ['string', 'null'] }, n: { type: ['integer', 'null'] } },
    });
    expect(Object.keys(toFunctions([searchSpec]))).toEqual(['search_knowledge_base']);
  });

  it('puts each tool result into the model turn that made the call', () => {
    const history = toToolHistory([
      { role: 'system', content: 's' },
      { role: 'user', content: 'q' },
      { role: 'assistant', content: '', toolCalls: [{ id: 'a', name: 'calculator', args: { expression: '1+1' } }] },
      { role: 'tool', toolCallId: 'a', name: 'calculator', content: '1+1 = 2' },
    ]);
    expect(history).toEqual([
      { type: 'system', text: 's' },
      { type: 'user', text: 'q' },
      {
        type: 'model',
        response: [{ type: 'functionCall', name: 'calculator', params: { expression: '1+1' }, result: '1+1 = 2' }],
      },
    ]);
    expect(toToolHistory([{ role: 'user', content: 'q' }]).at(-1)).toEqual({ type: 'model', response: [] });
  });
});

const gguf = sharedFixture('models/stories260K.gguf', 'llama function-calling plumbing (stories260K)');
const modelsDir = mkdtempSync(join(tmpdir(), 'teamkb-models-'));

describe.skipIf(!gguf)('llama.cpp function calling on stories260K (plumbing, explicit threads)', () => {
  let llm: ToolCallingLlm;
  const make = async () => {
    const made = await createLlm(`llama:${gguf}`, { modelsDir, threads: 1, gpu: false, contextSize: 2048 });
    if (!made || !canCallTools(made)) throw new Error('llama LLM cannot call tools');
    llm = made;
    return llm;
  };
  afterAll(async () => {
    await llm?.close?.();
  });

  it('generates a turn with tools offered and reports usage', async () => {
    await make();
    const result = await llm.chatWithTools({
      messages: [{ role: 'user', content: 'Once upon a time' }],
      tools: [searchSpec],
      maxTokens: 16,
      temperature: 0,
    });
    expect(typeof result.text).toBe('string');
    expect(Array.isArray(result.toolCalls)).toBe(true);
    expect(result.usage?.promptTokens).toBeGreaterThan(0);
    expect(result.usage?.completionTokens).toBeGreaterThan(0);
  });

  it('constrains arguments with the grammar: output parses and validates as the tool schema', async () => {
    const llama = await getLlamaRuntime({ gpu: false });
    const grammar = await llama.createGrammarForJsonSchema(toGbnfSchema(searchSpec.parameters as never) as never);
    const { LlamaCompletion } = await import('node-llama-cpp');
    const context = await (await llama.loadModel({ modelPath: gguf as string })).createContext({ contextSize: 1024, threads: 1 });
    try {
      const completion = new LlamaCompletion({ contextSequence: context.getSequence() });
      const text = await completion.generateCompletion('Arguments: ', { grammar, maxTokens: 400, temperature: 0 });
      const parsed = grammar.parse(text) as unknown as Record<string, unknown>;
      expect(Object.keys(parsed).sort()).toEqual(['kb', 'n', 'query']);
      expect(typeof parsed.query).toBe('string');
    } finally {
      await context.dispose();
    }
  });

  it('cancels a running turn with a CANCELLED error', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const err = await llm
      .chatWithTools({
        messages: [{ role: 'user', content: 'Tell a long story' }],
        tools: [searchSpec],
        maxTokens: 400,
        signal: controller.signal,
      })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(isTeamKbError(err, 'CANCELLED')).toBe(true);
  });

  it('drives the bounded agent loop to an answer as a LangChain chat model', async () => {
    const agent = createAgentService({
      search: async () => [],
      visibleKbs: () => [{ name: 'handbook' }],
      models: () => ({ name: 'stories', model: new TeamKbChatModel(llm, { maxTokens: 24, temperature: 0 }) }),
      limits: { maxSteps: 2, tokenBudget: 2000 },
    });
    const r = await collectParts(agent.answer({ principal: 'p', question: 'Once upon a time' }));
    expect(r.error).toBeUndefined();
    expect(r.done?.mode).toBe('agent');
    expect(r.done?.markdown.length).toBeGreaterThan(0);
  });
});
