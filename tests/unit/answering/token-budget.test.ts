import { describe, expect, it } from 'vitest';
import { estimatedTokens, estimateTokens } from '../../../adapters/models/token-estimate.js';
import { fitPrompt, leftOutNote } from '../../../core/answering/budget.js';
import { isTeamKbError } from '../../../core/errors.js';
import type { ChatMessage, LlmTokens } from '../../../core/llm.js';

// One token per word keeps the arithmetic of these cases visible.
const words: LlmTokens = { contextSize: 200, perMessage: 2, count: (t) => t.split(/\s+/).filter(Boolean).length };
const passage = (n: number, length: number) => `[${n}] ${'word '.repeat(length - 1)}`.trim();
const build = (kept: string[]) => `Passages:\n${kept.join('\n\n')}\n\nQuestion: what now?`;
const chatTokens = (messages: ChatMessage[]) =>
  messages.reduce((n, m) => n + words.count(m.content) + words.perMessage, words.perMessage);

describe('fitting a prompt into the context', () => {
  it('keeps everything that fits', () => {
    const fitted = fitPrompt({
      history: [],
      passages: [passage(1, 20), passage(2, 20)],
      build,
      maxTokens: 50,
      tokens: words,
      model: 'm',
    });
    expect(fitted.passagesLeftOut + fitted.passagesShortened + fitted.historyDropped).toBe(0);
    expect(fitted.maxTokens).toBe(50);
  });

  it('drops the oldest history first, then the lowest-ranked passages, then cuts passage tails', () => {
    const history: ChatMessage[] = [
      { role: 'user', content: 'old '.repeat(30) },
      { role: 'assistant', content: 'older answer '.repeat(10) },
      { role: 'user', content: 'recent question' },
      { role: 'assistant', content: 'recent answer' },
    ];
    const passages = [passage(1, 130), passage(2, 40), passage(3, 40)];
    const fitted = fitPrompt({ history, passages, build, maxTokens: 60, tokens: words, model: 'm' });
    expect(fitted.historyDropped).toBe(4);
    expect(fitted.passagesLeftOut).toBe(2);
    expect(fitted.passagesShortened).toBe(1);
    const last = fitted.messages.at(-1)?.content ?? '';
    expect(last).toContain('[1] word');
    expect(last).not.toContain('[2]');
    expect(last).toContain('…');
    expect(chatTokens(fitted.messages) + fitted.maxTokens).toBeLessThanOrEqual(words.contextSize);
  });

  it('gives up history before any passage and never opens the history with an answer', () => {
    const history: ChatMessage[] = [
      { role: 'user', content: 'q '.repeat(40) },
      { role: 'assistant', content: 'a '.repeat(40) },
      { role: 'user', content: 'short' },
      { role: 'assistant', content: 'reply' },
    ];
    const fitted = fitPrompt({ history, passages: [passage(1, 60)], build, maxTokens: 60, tokens: words, model: 'm' });
    expect(fitted.passagesLeftOut).toBe(0);
    expect(fitted.messages[0]).toEqual({ role: 'user', content: 'short' });
  });

  it('refuses a question that cannot fit at all, in words', () => {
    const huge = (kept: string[]) => `${kept.join(' ')} ${'long '.repeat(400)}`;
    let error: unknown;
    try {
      fitPrompt({ history: [], passages: [], build: huge, maxTokens: 60, tokens: words, model: 'tiny' });
    } catch (err) {
      error = err;
    }
    expect(isTeamKbError(error, 'INVALID_INPUT')).toBe(true);
    expect((error as Error).message).toMatch(/too long for tiny.*200 tokens/);
  });

  it('says in the answer how many passages were left out or shortened', () => {
    expect(leftOutNote({ passagesLeftOut: 0, passagesShortened: 0 }, false)).toBe('');
    expect(leftOutNote({ passagesLeftOut: 3, passagesShortened: 1 }, false)).toBe(
      "(To fit the model's context, 3 passages were left out and 1 passage was shortened.)",
    );
    expect(leftOutNote({ passagesLeftOut: 2, passagesShortened: 0 }, true)).toContain('2 段资料未能放入');
  });
});

describe('token estimate for OpenAI-compatible servers', () => {
  it('counts CJK characters and emoji as a token each and Latin text at about three characters a token', () => {
    expect(estimateTokens('')).toBe(0);
    expect(estimateTokens('知识库')).toBe(3);
    expect(estimateTokens('😀')).toBe(1);
    expect(estimateTokens('abcdef')).toBe(2);
    const tokens = estimatedTokens(4096);
    expect(tokens.countChat?.([{ role: 'user', content: 'abc' }])).toBe(17);
  });
});
