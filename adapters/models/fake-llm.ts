import type { ChatMessage, Llm, LlmPart, LlmRequest } from '../../core/llm.js';
import { sleep, throwIfAborted } from './cancel.js';

export interface ScriptedLlmOptions {
  /** Pause before each streamed word (default 0). */
  delayMsPerToken?: number;
  id?: string;
}

const CJK_CHAR = '[\\u3400-\\u9fff\\uf900-\\ufaff\\u3000-\\u303f\\uff00-\\uffef]';
const WORD = new RegExp(`${CJK_CHAR}\\s*|(?:(?!${CJK_CHAR})\\S)+\\s*|\\s+`, 'gu');

/** Splits a reply into streamable words: words keep their trailing space, CJK text goes character by character. */
export function splitWords(text: string): string[] {
  return text.match(WORD) ?? [];
}

function countWords(messages: ChatMessage[]): number {
  return messages.reduce((n, m) => n + splitWords(m.content).length, 0);
}

/** A test LLM that streams `script(messages)` word by word and honours AbortSignal. */
export function createScriptedLlm(script: (messages: ChatMessage[]) => string, options: ScriptedLlmOptions = {}): Llm {
  const delay = options.delayMsPerToken ?? 0;
  return {
    id: options.id ?? 'fake:scripted',
    async *stream(req: LlmRequest): AsyncIterable<LlmPart> {
      throwIfAborted(req.signal, 'Generation');
      const words = splitWords(script(req.messages));
      const limit = req.maxTokens ?? words.length;
      let sent = 0;
      for (const word of words.slice(0, limit)) {
        if (delay > 0) await sleep(delay, req.signal, 'Generation');
        else await Promise.resolve();
        throwIfAborted(req.signal, 'Generation');
        yield { type: 'text', text: word };
        sent++;
      }
      yield { type: 'done', usage: { promptTokens: countWords(req.messages), completionTokens: sent } };
    },
  };
}

/** The LLM behind the `fake` spec: echoes the last user message. */
export function createEchoLlm(): Llm {
  return createScriptedLlm(
    (messages) => {
      const last = [...messages].reverse().find((m) => m.role === 'user');
      return `Echo: ${last?.content ?? ''}`;
    },
    { id: 'fake:echo' },
  );
}
