import type { types } from '@slack/bolt';
import type { ButtonCodec } from '../../core/button-codec.js';
import type { ButtonView } from '../../core/chat.js';
import type { ReplyView } from '../../core/message-surface.js';
import { escapeMrkdwn, markdownToMrkdwn } from './mrkdwn.js';

export type Block = types.KnownBlock;

/** One chat.postMessage / chat.update body. `text` is the notification fallback when blocks are set. */
export interface SlackMessage {
  text: string;
  blocks?: Block[];
}

/** Every button's action_id starts so, which lets one listener take them all. */
export const ACTION_PREFIX = 'teamkb_';
/** A section block holds at most 3000 characters. */
const SECTION_LIMIT = 3000;
/** Kinds shown as rich messages; the others (placeholder, streaming status, progress) are plain text. */
const WITH_BLOCKS = new Set<ReplyView['kind']>(['answer', 'message', 'prompt', 'error']);

/**
 * A view as a Slack message: mrkdwn text in section blocks, the footer as a context block and
 * buttons as an actions block. The text also carries the footer, because it is what shows where
 * blocks are refused or not rendered (notifications).
 */
export function slackMessage(view: ReplyView, codec: ButtonCodec): SlackMessage {
  const body = markdownToMrkdwn(view.markdown).trim();
  const footer = view.footer ? escapeMrkdwn(view.footer) : '';
  const text = [body, footer].filter((t) => t.length > 0).join('\n') || '…';
  const buttons = view.buttons ?? [];
  if (!WITH_BLOCKS.has(view.kind) && buttons.length === 0) return { text };
  const blocks: Block[] = sections(body);
  if (footer) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: footer }] });
  if (buttons.length > 0) blocks.push(actions(buttons, codec));
  return { text, blocks };
}

/** Section blocks of at most SECTION_LIMIT characters, cut at line breaks. */
export function sections(mrkdwn: string): Block[] {
  const out: Block[] = [];
  let current = '';
  for (const line of mrkdwn.split('\n')) {
    for (let piece = line; ; ) {
      const room = SECTION_LIMIT - current.length - (current ? 1 : 0);
      if (piece.length <= room) {
        current = current ? `${current}\n${piece}` : piece;
        break;
      }
      if (current) out.push(section(current));
      current = '';
      if (piece.length <= SECTION_LIMIT) continue;
      out.push(section(piece.slice(0, SECTION_LIMIT)));
      piece = piece.slice(SECTION_LIMIT);
    }
  }
  if (current.trim()) out.push(section(current));
  return out;
}

function section(text: string): Block {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

function actions(buttons: ButtonView[], codec: ButtonCodec): Block {
  const seen = new Map<string, number>();
  const elements: types.Button[] = buttons.slice(0, 25).map((b) => {
    // action_ids must be unique inside one actions block.
    const index = seen.get(b.action) ?? 0;
    seen.set(b.action, index + 1);
    return {
      type: 'button',
      action_id: index === 0 ? `${ACTION_PREFIX}${b.action}` : `${ACTION_PREFIX}${b.action}_${index}`,
      text: { type: 'plain_text', text: b.label.slice(0, 75) || b.action, emoji: true },
      value: codec.encode(b),
      ...(b.style ? { style: b.style } : {}),
    };
  });
  return { type: 'actions', elements };
}
