import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLlm } from '../../../adapters/models/create-llm.js';
import type { AnswerPart } from '../../../core/answer.js';
import { createAnswerService } from '../../../core/answering/answer-service.js';
import type { ChatMessage, Llm } from '../../../core/llm.js';
import { passagesKb } from '../../helpers/fake-kb-service.js';
import { sharedFixture } from '../../helpers/shared.js';

const modelsDir = mkdtempSync(join(tmpdir(), 'teamkb-models-'));
const FILES = ['stories260K.gguf', 'llama-2-tiny-random.gguf'];
const PROMPTS = { kb_answer: 'Passages:\n{context}\n\nQuestion: {question}', plain_chat: 'You are TeamKB.' };
const filler = 'Once upon a time a cat kept the VPN keys under a blue rug and told nobody. ';
const kb = passagesKb(
  Array.from({ length: 10 }, (_, i) => ({
    kb: 'docs',
    source: `story-${i}.md`,
    text: `Story ${i} about the VPN cat. ${filler.repeat(25)}`,
  })),
);
const question = `Tell me about the cat who kept the VPN keys, ${'and explain every detail of it. '.repeat(5)}`;
const history: ChatMessage[] = [
  { role: 'user', content: filler.repeat(12) },
  { role: 'assistant', content: filler.repeat(12) },
];

async function ask(service: ReturnType<typeof createAnswerService>, mode: 'kb' | 'llm') {
  const parts: AnswerPart[] = [];
  for await (const part of service.answer({ mode, kbs: ['docs'], question, topK: 10, ...(mode === 'llm' ? { history } : {}) }))
    parts.push(part);
  return parts;
}

const opened: Llm[] = [];
afterAll(async () => {
  for (const llm of opened) await llm.close?.();
});

for (const file of FILES) {
  const gguf = sharedFixture(`models/${file}`, `token budget with ${file}`);
  describe.skipIf(!gguf)(`prompts fitted to ${file} with a 512-token context`, () => {
    it('answers long questions over long passages, repeatedly and in parallel, and says what was left out', async () => {
      const llm = (await createLlm(`llama:${gguf}`, { modelsDir, threads: 1, gpu: false, contextSize: 512, parallel: 2 })) as Llm;
      opened.push(llm);
      expect(llm.tokens?.contextSize).toBeGreaterThanOrEqual(512);
      const service = createAnswerService({
        kb,
        llms: [{ name: 'tiny', llm }],
        prompts: PROMPTS,
        maxTokens: 48,
        concurrencyPerModel: 2,
      });
      const rounds = [await ask(service, 'kb'), await ask(service, 'kb')];
      rounds.push(...(await Promise.all([ask(service, 'kb'), ask(service, 'llm'), ask(service, 'kb'), ask(service, 'llm')])));
      for (const parts of rounds) {
        expect(parts.find((p) => p.type === 'error')).toBeUndefined();
        const done = parts.find((p): p is Extract<AnswerPart, { type: 'done' }> => p.type === 'done');
        expect(done?.answer.usage?.completionTokens).toBeGreaterThan(0);
        const budget = done?.answer.budget;
        expect(budget).toBeDefined();
        expect((budget?.promptTokens ?? 0) + 48).toBeLessThanOrEqual(llm.tokens?.contextSize ?? 0);
        if (done?.answer.mode === 'kb') {
          expect(budget?.passagesLeftOut).toBeGreaterThan(0);
          expect(done.answer.markdown).toMatch(/passages were left out/);
          // Only passages the model read are cited.
          expect(done.answer.citations.length).toBeLessThanOrEqual(10 - (budget?.passagesLeftOut ?? 0));
        } else expect(budget?.historyDropped).toBeGreaterThan(0);
      }
    });

    it('refuses, in words, a request the context cannot hold instead of passing on llama.cpp errors', async () => {
      const llm = (await createLlm(`llama:${gguf}`, { modelsDir, threads: 1, gpu: false, contextSize: 512, parallel: 2 })) as Llm;
      const messages: ChatMessage[] = [
        { role: 'system', content: filler.repeat(40) },
        { role: 'user', content: filler.repeat(40) },
      ];
      let error: unknown;
      try {
        for await (const _ of llm.stream({ messages, maxTokens: 16 })) {
        }
      } catch (err) {
        error = err;
      }
      expect((error as Error).message).toMatch(/too long for .*Please shorten it/);
      expect((error as Error).message).not.toMatch(/context shift|compress|tokens to evaluate/i);
    });
  });
}
