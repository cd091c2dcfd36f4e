import type { Citation, FinalAnswer } from '../../core/answer.js';
import type { JobProgressView } from '../../core/chat.js';

/** Discord renders #, ## and ### headings; deeper ones would show their hashes, so they become bold lines. */
export function toDiscordMarkdown(markdown: string): string {
  return markdown.replace(/^ {0,3}#{4,6}\s+(.+?)\s*#*\s*$/gm, '**$1**');
}

/** "guide.pdf p.3" or "guide.pdf › Install" — how a source is named in the citation list. */
export function citationLabel(citation: Citation): string {
  const where = citation.page !== undefined ? ` p.${citation.page}` : citation.section ? ` › ${citation.section}` : '';
  return `${citation.file}${where}`;
}

/** "[1] [guide.pdf p.3](https://…)" — a numbered markdown link, or plain text when the source has no web address. */
export function citationLine(citation: Citation): string {
  const label = escapeLinkText(citationLabel(citation));
  const url = citation.url && /^https?:\/\//i.test(citation.url) ? citation.url.replace(/[()\s]/g, percentEncode) : undefined;
  return url ? `[${citation.n}] [${label}](${url})` : `[${citation.n}] ${label}`;
}

const MODE_WORDS: Record<FinalAnswer['mode'], string> = {
  kb: 'knowledge base',
  file: 'attached file',
  search: 'web search',
  llm: 'model only, no knowledge base',
  extractive: 'best passages (no language model configured)',
  agent: 'agent: searched and cited by the model',
};

/** Small grey line under an answer naming what it drew on. */
export function contextLine(answer: FinalAnswer): string {
  const sources = answer.sources.length > 0 ? answer.sources.join(', ') : 'no sources';
  return `-# Sources: ${sources} · ${MODE_WORDS[answer.mode]}`;
}

/** The final text of an answer: body, numbered citation links, context line. */
export function renderFinalAnswer(answer: FinalAnswer, streamedCitations: Citation[]): string {
  const citations = mergeCitations(answer.citations, streamedCitations);
  const parts = [toDiscordMarkdown(answer.markdown.trim())];
  if (citations.length > 0) parts.push(citations.map(citationLine).join('\n'));
  parts.push(contextLine(answer));
  return parts.filter((p) => p.length > 0).join('\n\n');
}

export function renderStreaming(text: string, status: string | undefined): string {
  if (text.trim()) return toDiscordMarkdown(text);
  return `*${status ?? 'Thinking…'}*`;
}

export function renderError(message: string, ref: string | undefined): string {
  return `⚠️ ${message}${ref ? ` (ref \`${ref}\`)` : ''}`;
}

export function renderProgress(p: JobProgressView): string {
  if (p.summary) return toDiscordMarkdown(p.summary);
  const failed = p.failed > 0 ? ` · ${p.failed} failed` : '';
  const current = p.currentFile ? `\n-# Now reading ${p.currentFile}` : '';
  return `📥 Adding files to **${p.kb}**: ${p.filesDone}/${p.filesTotal} files · ${p.chunks} chunks${failed}${current}`;
}

function mergeCitations(final: Citation[], streamed: Citation[]): Citation[] {
  const byNumber = new Map<number, Citation>();
  for (const c of [...streamed, ...final]) byNumber.set(c.n, c);
  return [...byNumber.values()].sort((a, b) => a.n - b.n);
}

function percentEncode(ch: string): string {
  return `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
}

function escapeLinkText(text: string): string {
  return text.replace(/([[\]\\])/g, '\\$1');
}
