import type { ChatMessage, LlmTokens } from '../../core/llm.js';

const WIDE = /[\u1100-\u11ff\u2e80-\ua4cf\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]|[\u{1f000}-\u{1faff}]/gu;

/**
 * A deliberately high estimate for models behind an OpenAI-compatible server, whose tokenizer is
 * not available here: BPE vocabularies of current chat models average about four bytes of Latin
 * text per token and at most one token per CJK character or emoji, so this over-counts a little and
 * a fitted prompt stays inside the server's context.
 */
export function estimateTokens(text: string): number {
  if (!text) return 0;
  const wide = text.match(WIDE)?.length ?? 0;
  const narrow = text.replace(WIDE, '').length;
  return wide + Math.ceil(narrow / 3);
}

export function estimatedTokens(contextSize: number): LlmTokens {
  return {
    contextSize,
    count: estimateTokens,
    perMessage: 8,
    countChat: (messages: ChatMessage[]) => messages.reduce((n, m) => n + estimateTokens(m.content) + 8, 8),
  };
}
