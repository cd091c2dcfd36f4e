import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLlm } from '../../../adapters/models/create-llm.js';
import { toChatHistory } from '../../../adapters/models/llama-history.js';
import { isTeamKbError } from '../../../core/errors.js';
import type { Llm } from '../../../core/llm.js';
import { sharedFixture } from '../../helpers/shared.js';
import { collect } from './helpers/collect.js';

const gguf = sharedFixture('models/stories260K.gguf', 'llama LLM tests (stories260K)');
const modelsDir = mkdtempSync(join(tmpdir(), 'teamkb-models-'));
const story = [{ role: 'user' as const, content: 'Tell me a story about a cat.' }];

async function make(parallel?: number): Promise<Llm> {
  return (await createLlm(`llama:${gguf}`, { modelsDir, threads: 1, gpu: false, contextSize: 512, parallel })) as Llm;
}

describe('chat history for llama.cpp', () => {
  it('maps roles and opens an empty answer after the last user message', () => {
    expect(
      toChatHistory([
        { role: 'system', content: 's' },
        { role: 'user', content: 'u' },
        { role: 'assistant', content: 'a' },
        { role: 'user', content: 'u2' },
      ]),
    ).toEqual([
      { type: 'system', text: 's' },
      { type: 'user', text: 'u' },
      { type: 'model', response: ['a'] },
      { type: 'user', text: 'u2' },
      { type: 'model', response: [] },
    ]);
  });
});

describe.skipIf(!gguf)('llama LLM on stories260K', () => {
  it('streams several text parts, then done with usage', async () => {
    const llm = await make();
    expect(llm.id).toBe('llama:stories260K');
    const result = await collect(llm, { messages: story, maxTokens: 24, temperature: 0 });
    expect(result.error).toBeUndefined();
    expect(result.texts.length).toBeGreaterThan(3);
    expect(result.texts.join('').trim().length).toBeGreaterThan(0);
    expect(result.done?.usage?.completionTokens).toBeGreaterThan(3);
    expect(result.done?.usage?.promptTokens).toBeGreaterThan(0);
  });

  it('stops generating when aborted and reports CANCELLED', async () => {
    const llm = await make();
    const controller = new AbortController();
    const result = await collect(llm, { messages: story, maxTokens: 200, signal: controller.signal }, { parts: 3, controller });
    expect(isTeamKbError(result.error, 'CANCELLED')).toBe(true);
    expect(result.texts.length).toBeLessThan(10);
    // the sequence is free again
    const next = await collect(llm, { messages: story, maxTokens: 8 });
    expect(next.done).toBeDefined();
  });

  it('completes two concurrent requests, queued on one sequence or run on two', async () => {
    for (const parallel of [1, 2]) {
      const llm = await make(parallel);
      const [a, b] = await Promise.all([
        collect(llm, { messages: story, maxTokens: 16 }),
        collect(llm, { messages: [{ role: 'user', content: 'Once upon a time' }], maxTokens: 16 }),
      ]);
      expect(a.error ?? b.error).toBeUndefined();
      expect(a.done && b.done).toBeTruthy();
      expect(a.texts.length).toBeGreaterThan(0);
      expect(b.texts.length).toBeGreaterThan(0);
    }
  });

  it('lets a consumer stop reading early without blocking later requests', async () => {
    const llm = await make();
    for await (const part of llm.stream({ messages: story, maxTokens: 100 })) {
      if (part.type === 'text') break;
    }
    const next = await collect(llm, { messages: story, maxTokens: 8 });
    expect(next.done).toBeDefined();
  });
});
