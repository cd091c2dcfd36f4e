import { describe, expect, it } from 'vitest';
import { createEchoLlm, createScriptedLlm, splitWords } from '../../../adapters/models/fake-llm.js';
import { isTeamKbError } from '../../../core/errors.js';
import { collect } from './helpers/collect.js';

const user = (content: string) => [{ role: 'user' as const, content }];

describe('scripted fake LLM', () => {
  it('streams the scripted reply word by word and reports usage', async () => {
    const llm = createScriptedLlm((messages) => `You asked: ${messages.at(-1)?.content}`);
    const result = await collect(llm, { messages: user('why?') });
    expect(result.texts).toEqual(['You ', 'asked: ', 'why?']);
    expect(result.done?.usage).toEqual({ promptTokens: 1, completionTokens: 3 });
  });

  it('splits Chinese character by character and keeps the text intact', () => {
    const text = ' 你好，world! 再见 [1]';
    expect(splitWords(text).join('')).toBe(text);
    expect(splitWords('你好 ok')).toEqual(['你', '好 ', 'ok']);
  });

  it('stops with CANCELLED when aborted mid-stream', async () => {
    const llm = createScriptedLlm(() => 'one two three four five six', { delayMsPerToken: 5 });
    const controller = new AbortController();
    const result = await collect(llm, { messages: user('go'), signal: controller.signal }, { parts: 2, controller });
    expect(result.texts).toEqual(['one ', 'two ']);
    expect(isTeamKbError(result.error, 'CANCELLED')).toBe(true);
    expect(result.done).toBeUndefined();
  });

  it('honours maxTokens', async () => {
    const result = await collect(
      createScriptedLlm(() => 'a b c d'),
      { messages: user('x'), maxTokens: 2 },
    );
    expect(result.texts).toEqual(['a ', 'b ']);
  });

  it('echoes the last user message for the `fake` spec', async () => {
    const result = await collect(createEchoLlm(), { messages: [{ role: 'system', content: 's' }, ...user('ping')] });
    expect(result.texts.join('')).toBe('Echo: ping');
  });
});
