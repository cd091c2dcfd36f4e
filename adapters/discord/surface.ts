import {
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  ButtonStyle,
  ComponentType,
  MessageFlags,
} from 'discord.js';
import type { ButtonView } from '../../core/chat.js';
import type { CustomIdCodec } from './custom-id.js';

/** One message as the reply sink wants it shown. */
export interface OutgoingMessage {
  content: string;
  buttons?: ButtonView[];
  /** Only the user sees it (interactions only; elsewhere it is shown normally). */
  ephemeral?: boolean;
}

/** A message the bot posted; the interaction surface may move it to the channel when its token runs out. */
export interface SentMessage {
  id: string;
  channelId: string;
  via: 'channel' | 'webhook';
}

/** Where a reply's messages go: a channel or thread, or an interaction's webhook. */
export interface MessageSurface {
  post(message: OutgoingMessage): Promise<SentMessage>;
  edit(sent: SentMessage, message: OutgoingMessage): Promise<void>;
  remove(sent: SentMessage): Promise<void>;
  /** No more messages follow. */
  close(): Promise<void>;
}

const MAX_BUTTONS_PER_ROW = 5;
const MAX_ROWS = 5;

/** Answers carry citation links; their previews would bury the answer, so embeds are suppressed. */
export const CONTENT_FLAGS = MessageFlags.SuppressEmbeds;
export const NO_PINGS = { parse: [] as [] };

export function buttonRows(
  buttons: ButtonView[] | undefined,
  codec: CustomIdCodec,
): APIActionRowComponent<APIButtonComponentWithCustomId>[] {
  const rows: APIActionRowComponent<APIButtonComponentWithCustomId>[] = [];
  const all = (buttons ?? []).slice(0, MAX_BUTTONS_PER_ROW * MAX_ROWS);
  for (let i = 0; i < all.length; i += MAX_BUTTONS_PER_ROW) {
    rows.push({
      type: ComponentType.ActionRow,
      components: all.slice(i, i + MAX_BUTTONS_PER_ROW).map((b) => ({
        type: ComponentType.Button,
        style: b.style === 'danger' ? ButtonStyle.Danger : b.style === 'primary' ? ButtonStyle.Primary : ButtonStyle.Secondary,
        label: b.label.slice(0, 80),
        custom_id: codec.encode(b),
      })),
    });
  }
  return rows;
}
