import type { ButtonCodec } from '../../core/button-codec.js';
import type { ButtonView } from '../../core/chat.js';
import type { ReplyView } from '../../core/message-surface.js';
import { plainPreview, toCardMarkdown } from './markdown.js';

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
 * for the footer and buttons.
 */
export const CARD_MARKDOWN_BYTES = 20_000;

function markdownElement(content: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { tag: 'markdown', content, ...extra };
}

function card(elements: Record<string, unknown>[], summary: string, config: Record<string, unknown> = {}): Card {
  return { schema: '2.0', config: { update_multi: true, summary: { content: summary }, ...config }, body: { elements } };
}

/** The card that CardKit streams into (typewriter effect on the `answer` element). */
export function streamingCard(markdown: string): Card {
  return card([markdownElement(toCardMarkdown(markdown), { element_id: ANSWER_ELEMENT })], 'Answering…', {
    streaming_mode: true,
    streaming_config: { print_frequency_ms: { default: 30 }, print_step: { default: 2 }, print_strategy: 'fast' },
  });
}

/** A view as a card: its markdown, the footer in small print, the buttons in one row. */
export function viewCard(view: ReplyView, codec: ButtonCodec): Card {
  const elements: Record<string, unknown>[] = [];
  if (view.markdown.trim()) elements.push(markdownElement(toCardMarkdown(view.markdown), { element_id: ANSWER_ELEMENT }));
  if (view.footer) elements.push(markdownElement(toCardMarkdown(view.footer), { text_size: 'notation' }));
  if (view.buttons && view.buttons.length > 0) elements.push(buttonRow(view.buttons, codec));
  return card(elements, plainPreview(view.markdown) || 'TeamKB');
}

/** Buttons call back with `{ teamkb: <token> }`, the token from the shared button codec. */
function buttonRow(buttons: ButtonView[], codec: ButtonCodec): Record<string, unknown> {
  return {
    tag: 'column_set',
    flex_mode: 'none',
    horizontal_spacing: '8px',
    columns: buttons.map((b) => ({
      tag: 'column',
      width: 'auto',
      elements: [
        {
          tag: 'button',
          text: { tag: 'plain_text', content: b.label },
          type: b.style ?? 'default',
          behaviors: [{ type: 'callback', value: { teamkb: codec.encode(b) } }],
        },
      ],
    })),
  };
}
