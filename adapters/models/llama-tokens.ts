import type { ChatWrapper, LlamaModel } from 'node-llama-cpp';
import type { ChatMessage, LlmTokens } from '../../core/llm.js';
import { toChatHistory } from './llama-history.js';

/** Counts with the GGUF model's own tokenizer and chat format, so prompts are fitted exactly. */
export function llamaTokens(model: LlamaModel, chatWrapper: ChatWrapper, contextSize: number): LlmTokens {
  const count = (text: string) => (text ? model.tokenize(text, false, 'trimLeadingSpace').length : 0);
  const countChat = (messages: ChatMessage[]) =>
    chatWrapper.generateContextState({ chatHistory: toChatHistory(messages) }).contextText.tokenize(model.tokenizer).length;
  // What the chat format adds around one message, measured once on a probe.
  const probe = 'x';
  const one = countChat([{ role: 'user', content: probe }]);
  const two = countChat([
    { role: 'system', content: probe },
    { role: 'user', content: probe },
  ]);
  const perMessage = Math.max(2, two - one - count(probe), one - count(probe));
  return { contextSize, count, countChat, perMessage };
}
