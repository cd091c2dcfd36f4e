import type { ButtonView } from '../../core/chat.js';
import type { ReplyView } from '../../core/message-surface.js';
import { splitMarkdown } from './split.js';

/** A surface's size rule: its limit, and how it measures markdown once converted. */
export interface Sizer {
  limit: number;
  measure: (markdown: string) => number;
}

/** Room the platform needs to set a footer apart from the text (a blank line, a prefix). */
const FOOTER_GAP = 8;

/**
 * Markdown as the views of as many messages as the limit needs; the footer and buttons go on the
 * last one, or on a message of their own when the last is too full to take the footer.
 */
export function viewsOf(
  kind: ReplyView['kind'],
  markdown: string,
  sizer: Sizer,
  extra: { footer?: string; buttons?: ButtonView[]; ephemeral?: boolean } = {},
): ReplyView[] {
  const base = extra.ephemeral ? { kind, ephemeral: true } : { kind };
  const views: ReplyView[] = splitMarkdown(markdown, sizer).map((piece) => ({ ...base, markdown: piece }));
  const last = views.at(-1) as ReplyView;
  if (extra.footer) {
    const footerSize = sizer.measure(extra.footer) + FOOTER_GAP;
    if (sizer.measure(last.markdown) + footerSize <= sizer.limit) last.footer = extra.footer;
    else views.push({ ...base, markdown: '', footer: extra.footer });
  }
  const closing = views.at(-1) as ReplyView;
  if (extra.buttons && extra.buttons.length > 0) closing.buttons = extra.buttons;
  return views;
}
