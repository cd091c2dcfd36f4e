import type { ReplyView } from '../../core/message-surface.js';

/** Discord renders #, ## and ### headings; deeper ones would show their hashes, so they become bold lines. */
export function toDiscordMarkdown(markdown: string): string {
  return markdown.replace(/^ {0,3}#{4,6}\s+(.+?)\s*#*\s*$/gm, '**$1**');
}

/** A view as message content: the text, then the footer as Discord's small grey `-#` line. */
export function discordContent(view: ReplyView): string {
  const footer = view.footer ? `-# ${view.footer}` : '';
  return [toDiscordMarkdown(view.markdown), footer].filter((part) => part.length > 0).join('\n\n');
}
