import type { Citation, FinalAnswer } from '../../core/answer.js';
import type { JobProgressView } from '../../core/chat.js';
import { passagePath } from '../passages/links.js';

/** What each answer mode drew on: the one wording every surface shows under an answer. */
export const ANSWER_MODE_LABELS: Record<FinalAnswer['mode'], string> = {
  kb: 'knowledge base',
  file: 'attached file',
  search: 'web search',
  llm: 'model only, no knowledge base',
  extractive: 'best passages quoted, no language model',
  agent: 'agent: searched and cited by the model',
};

export interface CitationLinks {
  /** Absolute address of this server (TEAMKB_PUBLIC_URL); without it chat citations are plain names. */
  publicUrl?: string;
}

/** "guide.pdf p.3 · Install": how a source is named. */
export function citationLabel(c: Citation): string {
  const page = c.page !== undefined ? ` p.${c.page}` : '';
  const section = c.section ? ` · ${c.section}` : '';
  return `${c.file}${page}${section}`;
}

/**
 * Where a citation links to in chat. Chat apps cannot resolve relative links, so a KB passage links
 * to its page under the public URL, and only when one is configured; a web result keeps its own
 * absolute address; anything else is shown as a plain name.
 */
export function citationHref(c: Citation, links: CitationLinks): string | undefined {
  const base = links.publicUrl?.replace(/\/+$/, '');
  if (c.kb !== undefined && c.chunkId !== undefined) {
    return base ? `${base}${passagePath(c.kb, c.chunkId)}` : undefined;
  }
  return c.url && /^https?:\/\//i.test(c.url) ? c.url : undefined;
}

/** "[1] [guide.pdf p.3](https://…)", or "[1] guide.pdf p.3" without an address. */
export function citationLine(c: Citation, links: CitationLinks): string {
  const label = escapeLinkText(citationLabel(c));
  const href = citationHref(c, links);
  return href ? `[${c.n}] [${label}](${href.replace(/[()\s]/g, percentEncode)})` : `[${c.n}] ${label}`;
}

/** "Sources: handbook · knowledge base": the small print under an answer. */
export function answerFooter(answer: Pick<FinalAnswer, 'sources' | 'mode'>): string {
  const sources = answer.sources.length > 0 ? answer.sources.join(', ') : 'none';
  return `Sources: ${sources} · ${ANSWER_MODE_LABELS[answer.mode]}`;
}

/** Citations numbered as the answer uses them; a streamed one is replaced by the final one of its number. */
export function mergeCitations(final: Citation[], streamed: Citation[]): Citation[] {
  const byNumber = new Map<number, Citation>();
  for (const c of [...streamed, ...final]) byNumber.set(c.n, c);
  return [...byNumber.values()].sort((a, b) => a.n - b.n);
}

/** The body of a final answer: the text, then the numbered sources. */
export function answerMarkdown(answer: FinalAnswer, citations: Citation[], links: CitationLinks): string {
  const lines = citations.map((c) => citationLine(c, links)).join('\n');
  return [answer.markdown.trim() || '…', lines].filter((p) => p.length > 0).join('\n\n');
}

export function errorMarkdown(message: string, ref: string | undefined): string {
  return `⚠️ ${message}${ref ? ` (ref \`${ref}\`)` : ''}`;
}

export function statusMarkdown(status: string | undefined): string {
  return `_${status ?? 'Thinking…'}_`;
}

export function progressMarkdown(p: JobProgressView): string {
  if (p.summary !== undefined) return p.summary;
  const failed = p.failed > 0 ? ` · ${p.failed} failed` : '';
  const current = p.currentFile ? `\n_Now reading ${p.currentFile}_` : '';
  return `📥 Adding files to **${p.kb}**: ${p.filesDone}/${p.filesTotal} files · ${p.chunks} chunks${failed}${current}`;
}

function percentEncode(ch: string): string {
  return `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
}

function escapeLinkText(text: string): string {
  return text.replace(/([[\]\\])/g, '\\$1');
}
