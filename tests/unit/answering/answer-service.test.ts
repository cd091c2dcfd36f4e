import { describe, expect, it } from 'vitest';
import { createScriptedLlm } from '../../../adapters/models/fake-llm.js';
import type { AnswerPart } from '../../../core/answer.js';
import { createAnswerService } from '../../../core/answering/answer-service.js';
import type { ChatMessage } from '../../../core/llm.js';
import { passagesKb } from '../../helpers/fake-kb-service.js';

const PROMPTS = {
  kb_answer: 'Passages:\n{context}\n\nQuestion: {question}',
  no_context: 'Nothing in {kb} matches.',
  no_context_zh: '知识库「{kb}」中没有相关内容。',
  condense: 'History:\n{history}\nFollow-up: {question}\nStandalone:',
  plain_chat: 'You are TeamKB.',
};

const kb = passagesKb([
  { kb: 'handbook', source: 'vpn.pdf', page: 2, text: 'Rotate the VPN key every 90 days from the admin console.' },
  { kb: 'handbook', source: 'leave.md', text: 'Annual leave is 25 days per year.' },
]);

async function collect(parts: AsyncIterable<AnswerPart>): Promise<AnswerPart[]> {
  const out: AnswerPart[] = [];
  for await (const p of parts) out.push(p);
  return out;
}

const done = (parts: AnswerPart[]) => parts.find((p): p is Extract<AnswerPart, { type: 'done' }> => p.type === 'done');

describe('answer service', () => {
  it('answers from retrieved passages with citations to the passages it cites', async () => {
    const seen: ChatMessage[][] = [];
    const llm = createScriptedLlm((messages) => {
      seen.push(messages);
      return 'Rotate it every 90 days [1].';
    });
    const service = createAnswerService({ kb, llms: [{ name: 'tiny', llm }], prompts: PROMPTS });
    const parts = await collect(
      service.answer({ mode: 'kb', kbs: ['handbook'], question: 'How often do I rotate the VPN key?' }),
    );
    const text = parts
      .filter((p) => p.type === 'text')
      .map((p) => (p as { text: string }).text)
      .join('');
    expect(text).toBe('Rotate it every 90 days [1].');
    expect(parts.filter((p) => p.type === 'text').length).toBeGreaterThan(3);
    const answer = done(parts)?.answer;
    expect(answer?.citations).toEqual([expect.objectContaining({ n: 1, file: 'vpn.pdf', page: 2, kb: 'handbook' })]);
    expect(answer?.sources).toEqual(['handbook']);
    expect(seen[0]?.[0]?.content).toContain('[1] (vpn.pdf, p.2)\nRotate the VPN key');
    expect(parts[0]).toMatchObject({ type: 'status' });
  });

  it('says it found nothing instead of inventing an answer', async () => {
    const llm = createScriptedLlm(() => 'made up');
    const service = createAnswerService({ kb, llms: [{ name: 'tiny', llm }], prompts: PROMPTS });
    const parts = await collect(service.answer({ mode: 'kb', kbs: ['handbook'], question: 'Who won the football?' }));
    expect(done(parts)?.answer.markdown).toBe('Nothing in handbook matches.');
    expect(done(parts)?.answer.citations).toEqual([]);
    const zh = await collect(service.answer({ mode: 'kb', kbs: ['handbook'], question: '足球比赛谁赢了？' }));
    expect(done(zh)?.answer.markdown).toBe('知识库「handbook」中没有相关内容。');
  });

  it('answers extractively with citations when no model is loaded', async () => {
    const service = createAnswerService({ kb, llms: [], prompts: PROMPTS });
    const parts = await collect(service.answer({ mode: 'kb', kbs: ['handbook'], question: 'How much annual leave?' }));
    const answer = done(parts)?.answer;
    expect(answer?.mode).toBe('extractive');
    expect(answer?.markdown).toContain('No language model is loaded');
    expect(answer?.markdown).toContain('Annual leave is 25 days per year. [1]');
    expect(answer?.citations[0]?.file).toBe('leave.md');
  });

  it('condenses a follow-up with the history before retrieval', async () => {
    const llm = createScriptedLlm((messages) =>
      messages[0]?.content.startsWith('History:') ? 'How often do I rotate the VPN key on Windows?' : 'Every 90 days [1].',
    );
    const fake = passagesKb([{ kb: 'handbook', source: 'vpn.pdf', text: 'Rotate the VPN key every 90 days.' }]);
    const service = createAnswerService({ kb: fake, llms: [{ name: 'tiny', llm }], prompts: PROMPTS });
    const parts = await collect(
      service.answer({
        mode: 'kb',
        kbs: ['handbook'],
        question: 'and on Windows?',
        history: [
          { role: 'user', content: 'How often do I rotate the VPN key?' },
          { role: 'assistant', content: 'Every 90 days.' },
        ],
      }),
    );
    expect(fake.queries).toEqual(['How often do I rotate the VPN key on Windows?']);
    expect(done(parts)?.answer.markdown).toBe('Every 90 days [1].');
  });

  it('queues concurrent questions, reports positions, and completes all of them', async () => {
    const llm = createScriptedLlm(() => 'Answer from the plain model.', { delayMsPerToken: 2 });
    const service = createAnswerService({ kb, llms: [{ name: 'slow', llm }], prompts: PROMPTS });
    const runs = await Promise.all(Array.from({ length: 32 }, () => collect(service.answer({ mode: 'llm', question: 'hi' }))));
    for (const parts of runs) {
      expect(parts.some((p) => p.type === 'error')).toBe(false);
      expect(done(parts)?.answer.markdown).toBe('Answer from the plain model.');
    }
    const positions = runs.flatMap((parts) => parts.filter((p) => p.type === 'status' && p.queuePosition !== undefined));
    expect(positions.length).toBeGreaterThan(0);
    expect(service.status()).toMatchObject({ queued: 0, running: 0 });
  });

  it('frees the slot when a question is cancelled', async () => {
    const llm = createScriptedLlm(() => 'word '.repeat(500), { delayMsPerToken: 5 });
    const service = createAnswerService({ kb, llms: [{ name: 'slow', llm }], prompts: PROMPTS });
    const abort = new AbortController();
    const first = collect(service.answer({ mode: 'llm', question: 'long one', signal: abort.signal }));
    setTimeout(() => abort.abort(), 30);
    const second = collect(service.answer({ mode: 'llm', question: 'next' }));
    const cancelled = await first;
    expect(cancelled.at(-1)).toMatchObject({ type: 'error', code: 'CANCELLED' });
    abort.abort();
    const followed = await Promise.race([second, new Promise((r) => setTimeout(() => r('stuck'), 10_000))]);
    expect(followed).not.toBe('stuck');
  });

  it('rejects an unknown model by name', async () => {
    const service = createAnswerService({ kb, llms: [], prompts: PROMPTS });
    const parts = await collect(service.answer({ mode: 'llm', question: 'hi', model: 'gpt-9' }));
    expect(parts.at(-1)).toMatchObject({ type: 'error', code: 'MODEL_NOT_FOUND' });
  });
});

describe('history cap', () => {
  it('sends the model only the last historyTurns turns of a long conversation', async () => {
    const seen: ChatMessage[][] = [];
    const llm = createScriptedLlm((messages) => {
      seen.push(messages);
      return 'ok';
    });
    const history: ChatMessage[] = Array.from({ length: 10 }, (_, i) => ({
      role: i % 2 === 0 ? 'user' : 'assistant',
      content: `turn ${Math.floor(i / 2)} ${i % 2 === 0 ? 'question' : 'answer'}`,
    }));
    const service = createAnswerService({ kb, llms: [{ name: 'tiny', llm }], prompts: PROMPTS, historyTurns: 2 });
    await collect(service.answer({ mode: 'llm', question: 'and now?', history }));
    expect(seen[0]?.map((m) => m.content)).toEqual([
      'You are TeamKB.',
      'turn 3 question',
      'turn 3 answer',
      'turn 4 question',
      'turn 4 answer',
      'and now?',
    ]);
  });
});
