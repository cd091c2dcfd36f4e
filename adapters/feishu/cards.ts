import type { Citation, FinalAnswer } from '../../core/answer.js';
import type { ButtonView, JobProgressView } from '../../core/chat.js';
import { plainPreview, splitMarkdown, toCardMarkdown } from './markdown.js';
import type { ButtonValue } from './types.js';

/** Card JSON 2.0 (https://open.feishu.cn/document/feishu-cards/card-json-v2-structure). */
export interface Card {
  schema: '2.0';
  config: Record<string, unknown>;
  body: { elements: Record<string, unknown>[] };
}

/** Element id of the markdown block that streams the answer text (CardKit element updates). */
export const ANSWER_ELEMENT = 'answer';
/**
 * Markdown per card, in UTF-8 bytes. A card message may be 30 KB of JSON; this leaves room
 * for the citation list, context line and buttons.
 */
export const CARD_MARKDOWN_BYTES = 20_000;
const MAX_CITATIONS_SHOWN = 20;

const MODE_LABEL: Record<FinalAnswer['mode'], string> = {
  kb: 'knowledge base',
  file: 'your file',
  search: 'web search',
  llm: 'model only, no sources',
  extractive: 'best passages, no model',
  agent: 'agent: searched and cited by the model',
};

function markdownElement(content: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { tag: 'markdown', content, ...extra };
}

function card(elements: Record<string, unknown>[], summary: string, config: Record<string, unknown> = {}): Card {
  return { schema: '2.0', config: { update_multi: true, summary: { content: summary }, ...config }, body: { elements } };
}

/** The placeholder card that CardKit streams into (typewriter effect on the `answer` element). */
export function streamingCard(markdown: string): Card {
  return card([markdownElement(markdown, { element_id: ANSWER_ELEMENT })], 'Answering…', {
    streaming_mode: true,
    streaming_config: { print_frequency_ms: { default: 30 }, print_step: { default: 2 }, print_strategy: 'fast' },
  });
}

/** A plain markdown card (command results, help, progress, intermediate patch updates). */
export function markdownCard(markdown: string): Card {
  return card([markdownElement(toCardMarkdown(markdown), { element_id: ANSWER_ELEMENT })], plainPreview(markdown) || 'TeamKB');
}

/** Splits long markdown over several plain cards. */
export function markdownCards(markdown: string): Card[] {
  return splitMarkdown(toCardMarkdown(markdown), CARD_MARKDOWN_BYTES).map((piece) =>
    card([markdownElement(piece, { element_id: ANSWER_ELEMENT })], plainPreview(piece) || 'TeamKB'),
  );
}

function button(label: string, value: ButtonValue, type: 'default' | 'primary' | 'danger' = 'default'): Record<string, unknown> {
  return { tag: 'button', text: { tag: 'plain_text', content: label }, type, behaviors: [{ type: 'callback', value }] };
}

function buttonRow(buttons: Record<string, unknown>[]): Record<string, unknown> {
  return {
    tag: 'column_set',
    flex_mode: 'none',
    horizontal_spacing: '8px',
    columns: buttons.map((b) => ({ tag: 'column', width: 'auto', elements: [b] })),
  };
}

export function citationLine(c: Citation): string {
  const name = toCardMarkdown(c.file);
  const file = c.url ? `[${name}](${c.url})` : name;
  const where = [c.page !== undefined ? `p.${c.page}` : undefined, c.section ? toCardMarkdown(c.section) : undefined].filter(
    Boolean,
  );
  return `[${c.n}] ${file}${where.length > 0 ? ` ${where.join(', ')}` : ''}`;
}

function contextLine(answer: FinalAnswer): string {
  const sources = answer.sources.length > 0 ? answer.sources.join(', ') : 'no sources';
  return `Answered from: ${toCardMarkdown(sources)} · ${MODE_LABEL[answer.mode]}`;
}

/** Value of a feedback button: the stored answer id and the vote. */
export function feedbackValue(answerId: string, vote: 'up' | 'down'): string {
  return `${answerId}:${vote}`;
}

/**
 * The final answer: markdown split over as many cards as needed; the last card carries the
 * numbered citations, the KB/sources line and the 👍/👎 buttons.
 */
export function answerCards(answer: FinalAnswer, citations: Citation[]): Card[] {
  const pieces = splitMarkdown(toCardMarkdown(answer.markdown || '_(empty answer)_'), CARD_MARKDOWN_BYTES);
  const summary = plainPreview(answer.markdown) || 'Answer';
  const cards = pieces.map((piece) => card([markdownElement(piece, { element_id: ANSWER_ELEMENT })], summary));
  const last = cards[cards.length - 1] as Card;
  const shown = [...citations].sort((a, b) => a.n - b.n).slice(0, MAX_CITATIONS_SHOWN);
  if (shown.length > 0) {
    const more = citations.length > shown.length ? `\n…and ${citations.length - shown.length} more` : '';
    last.body.elements.push({ tag: 'hr' }, markdownElement(`**Sources**\n${shown.map(citationLine).join('\n')}${more}`));
  }
  last.body.elements.push(markdownElement(contextLine(answer), { text_size: 'notation' }));
  if (answer.answerId) {
    last.body.elements.push(
      buttonRow([
        button('👍 Helpful', { teamkb: 'feedback', value: feedbackValue(answer.answerId, 'up') }),
        button('👎 Not helpful', { teamkb: 'feedback', value: feedbackValue(answer.answerId, 'down') }),
      ]),
    );
  }
  return cards;
}

export function errorMarkdown(message: string, ref?: string): string {
  return `⚠️ ${message}${ref ? ` (ref: ${ref})` : ''}`;
}

/** A card with the text so far and the error underneath (stream interrupted). */
export function errorCards(partial: string, message: string, ref?: string): Card[] {
  const text = partial.trim() ? `${partial.trim()}\n\n---\n${errorMarkdown(message, ref)}` : errorMarkdown(message, ref);
  return markdownCards(text);
}

export function buttonsCard(markdown: string, buttons: ButtonView[]): Card {
  const base = markdownCard(markdown);
  base.body.elements.push(
    buttonRow(buttons.map((b) => button(b.label, { teamkb: b.action, value: b.value }, b.style ?? 'default'))),
  );
  return base;
}

export function progressMarkdown(p: JobProgressView): string {
  if (p.summary) return p.summary;
  const failed = p.failed > 0 ? `, ${p.failed} failed` : '';
  const current = p.currentFile ? `\nNow: ${p.currentFile}` : '';
  return `**Adding files to ${p.kb}** — ${p.filesDone}/${p.filesTotal} files, ${p.chunks} chunks${failed}${current}`;
}
