import type { types } from '@slack/bolt';
import type { Citation, FinalAnswer } from '../../core/answer.js';
import type { ButtonView, JobProgressView } from '../../core/chat.js';
import { buttonActionId, FEEDBACK_DOWN, FEEDBACK_UP, feedbackValue } from './action-ids.js';
import { escapeMrkdwn, markdownToMrkdwn, slackLinkUrl } from './mrkdwn.js';
import { splitMrkdwn } from './split.js';

export type Block = types.KnownBlock;

/** One chat.postMessage / chat.update body. `text` is the notification fallback when blocks are set. */
export interface SlackMessage {
  text: string;
  blocks?: Block[];
}

/** A section block holds at most 3000 characters; stay clear of it. */
const SECTION_LIMIT = 2900;

const MODE_NOTES: Record<FinalAnswer['mode'], string> = {
  kb: '',
  file: 'from the attached file',
  search: 'web search',
  llm: 'language model only, no knowledge base',
  extractive: 'best passages quoted, no language model',
  agent: 'agent: searched and cited by the model',
};

/** `[1] <url|guide.pdf> p.3 · Setup`: a link when the citation has a URL, else the name. */
export function citationLine(c: Citation): string {
  const name = escapeMrkdwn(c.file.replace(/[|<>]/g, ' '));
  const file = c.url ? `<${slackLinkUrl(c.url)}|${name}>` : name;
  const page = c.page === undefined ? '' : ` p.${c.page}`;
  const section = c.section ? ` · ${escapeMrkdwn(c.section)}` : '';
  return `[${c.n}] ${file}${page}${section}`;
}

export function sourcesLine(answer: Pick<FinalAnswer, 'sources' | 'mode'>): string {
  const sources = answer.sources.length > 0 ? answer.sources.map(escapeMrkdwn).join(', ') : 'none';
  const note = MODE_NOTES[answer.mode];
  return `Sources: ${sources}${note ? ` · ${note}` : ''}`;
}

/** A complete answer as one or more messages; citations, sources and 👍/👎 close the last one. */
export function answerMessages(answer: FinalAnswer, maxChars: number): SlackMessage[] {
  const body = splitMrkdwn(markdownToMrkdwn(answer.markdown).trim() || '…', maxChars);
  const citations = answer.citations.map(citationLine).join('\n');
  const footer = answerFooter(answer);
  // The text of the closing message also carries the footer: it is what shows if blocks are refused.
  const footerText = [citations, sourcesLine(answer)].filter(Boolean).join('\n');
  const messages = body.map((chunk) => ({ text: chunk, blocks: sections(chunk) }));
  const last = messages.at(-1) as SlackMessage & { blocks: Block[] };
  if (last.text.length + footerText.length + 2 <= maxChars) {
    last.blocks.push(...footer);
    last.text = `${last.text}\n\n${footerText}`;
  } else messages.push({ text: footerText, blocks: footer });
  return messages;
}

/** Citations, the sources line and 👍/👎: the blocks that close an answer. */
export function answerFooter(answer: FinalAnswer): Block[] {
  const citations = answer.citations.map(citationLine).join('\n');
  return [
    ...(citations ? sections(citations) : []),
    { type: 'context', elements: [{ type: 'mrkdwn', text: sourcesLine(answer) }] },
    ...(answer.answerId ? [feedbackBlock(answer.answerId)] : []),
  ];
}

/** What a message shows while the answer streams in: the text so far, or the status. */
export function interimMessage(markdown: string, status: string | undefined, maxChars: number): SlackMessage {
  if (markdown.trim() === '') return { text: status ? `_${escapeMrkdwn(status)}_` : '…' };
  const text = markdownToMrkdwn(markdown);
  const head = text.length > maxChars ? `${splitMrkdwn(text, maxChars - 2)[0] ?? ''}\n…` : text;
  return { text: head };
}

export function errorMessage(message: string, ref: string | undefined, partialMarkdown = ''): SlackMessage {
  const line = `:warning: ${escapeMrkdwn(message)}${ref ? ` (ref: \`${escapeMrkdwn(ref)}\`)` : ''}`;
  const partial = partialMarkdown.trim() ? `${markdownToMrkdwn(partialMarkdown)}\n\n` : '';
  return { text: `${partial}${line}` };
}

/** A whole markdown reply (command results, help), split at the message limit. */
export function markdownMessages(markdown: string, maxChars: number): SlackMessage[] {
  return splitMrkdwn(markdownToMrkdwn(markdown).trim() || '…', maxChars).map((chunk) => ({
    text: chunk,
    blocks: sections(chunk),
  }));
}

export function buttonsMessage(markdown: string, buttons: ButtonView[]): SlackMessage {
  const text = markdownToMrkdwn(markdown).trim() || '…';
  const seen = new Map<string, number>();
  const elements: types.Button[] = buttons.slice(0, 25).map((b) => {
    const index = seen.get(b.action) ?? 0;
    seen.set(b.action, index + 1);
    return {
      type: 'button',
      action_id: buttonActionId(b.action, index),
      text: { type: 'plain_text', text: b.label.slice(0, 75) || b.action, emoji: true },
      value: b.value.slice(0, 2000),
      ...(b.style ? { style: b.style } : {}),
    };
  });
  return { text, blocks: [...sections(splitMrkdwn(text, 3 * SECTION_LIMIT)[0] ?? text), { type: 'actions', elements }] };
}

export function progressMessage(p: JobProgressView, maxChars: number): SlackMessage {
  const kb = escapeMrkdwn(p.kb);
  if (p.summary !== undefined) {
    const summary = splitMrkdwn(markdownToMrkdwn(p.summary).trim(), maxChars - 100);
    const more = summary.length > 1 ? '\n…' : '';
    return { text: `*Finished updating ${kb}*\n${summary[0] ?? ''}${more}` };
  }
  const failed = p.failed > 0 ? ` · ${p.failed} failed` : '';
  const current = p.currentFile ? `\n_now: ${escapeMrkdwn(p.currentFile)}_` : '';
  return { text: `*Updating ${kb}*: ${p.filesDone}/${p.filesTotal} files · ${p.chunks} chunks${failed}${current}` };
}

function sections(mrkdwn: string): Block[] {
  return splitMrkdwn(mrkdwn, SECTION_LIMIT).map((text) => ({ type: 'section', text: { type: 'mrkdwn', text } }));
}

function feedbackBlock(answerId: string): Block {
  const button = (actionId: string, emoji: string, label: string, vote: 'up' | 'down'): types.Button => ({
    type: 'button',
    action_id: actionId,
    text: { type: 'plain_text', text: emoji, emoji: true },
    value: feedbackValue(answerId, vote),
    accessibility_label: label,
  });
  return {
    type: 'actions',
    block_id: 'teamkb_feedback',
    elements: [button(FEEDBACK_UP, '👍', 'Helpful answer', 'up'), button(FEEDBACK_DOWN, '👎', 'Unhelpful answer', 'down')],
  };
}
