import type { ChatMessage } from '../llm.js';
import { fillTemplate } from './prompt.js';

/**
 * Rewrites a follow-up into a standalone question using the conversation so retrieval sees the
 * whole intent ("and on Windows?" → "How do I install TeamKB on Windows?"). Falls back to the
 * original question when the model returns nothing usable.
 */
export async function condenseQuestion(
  question: string,
  history: ChatMessage[],
  template: string,
  generate: (messages: ChatMessage[]) => Promise<string>,
): Promise<string> {
  const transcript = history.map((m) => `${m.role === 'user' ? 'User' : 'Assistant'}: ${m.content.slice(0, 1000)}`).join('\n');
  const prompt = fillTemplate(template, { history: transcript, question });
  try {
    const rewritten = (await generate([{ role: 'user', content: prompt }])).trim().split('\n')[0]?.trim() ?? '';
    return rewritten.length >= 2 && rewritten.length <= 500 ? rewritten : question;
  } catch {
    return question;
  }
}
