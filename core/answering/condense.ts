import type { ChatMessage } from '../llm.js';
import { fillTemplate } from './prompt.js';

/** What condensing hands to generation: transcript lines newest first, so fitting drops the oldest. */
export interface CondensePrompt {
  passages: string[];
  build: (kept: string[]) => string;
}

/**
 * Rewrites a follow-up into a standalone question using the conversation so retrieval sees the
 * whole intent ("and on Windows?" → "How do I install TeamKB on Windows?"). Falls back to the
 * original question when the model returns nothing usable.
 */
export async function condenseQuestion(
  question: string,
  history: ChatMessage[],
  template: string,
  generate: (prompt: CondensePrompt) => Promise<string>,
): Promise<string> {
  const lines = history.map((m) => `${m.role === 'user' ? 'User' : 'Assistant'}: ${m.content.slice(0, 1000)}`).reverse();
  const build = (kept: string[]) => fillTemplate(template, { history: [...kept].reverse().join('\n'), question });
  try {
    const rewritten = (await generate({ passages: lines, build })).trim().split('\n')[0]?.trim() ?? '';
    return rewritten.length >= 2 && rewritten.length <= 500 ? rewritten : question;
  } catch {
    return question;
  }
}
