import type { Citation } from '../answer.js';
import { describeSource, isChinese } from './prompt.js';

/** The answer when no model is loaded: the best passages, quoted, each with its citation. */
export function extractiveAnswer(question: string, citations: Citation[], passages: string[]): string {
  const zh = isChinese(question);
  const intro = zh
    ? '当前没有加载语言模型，以下是知识库中最相关的段落：'
    : 'No language model is loaded, so here are the most relevant passages:';
  const quotes = citations.map((c, i) => {
    const raw = passages[i] ?? c.snippet;
    // Chunks start with their heading path; the source line below already names it.
    const body = c.section && raw.startsWith(`${c.section}\n`) ? raw.slice(c.section.length + 1) : raw;
    const text = body.replace(/\s+/g, ' ').trim();
    return `> ${text} [${c.n}]\n> — ${describeSource(c)}`;
  });
  return [intro, ...quotes].join('\n\n');
}
