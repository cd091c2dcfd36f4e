import {
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  ButtonStyle,
  ComponentType,
  MessageFlags,
} from 'discord.js';
import type { ButtonCodec } from '../../core/button-codec.js';
import type { ButtonView } from '../../core/chat.js';
import type { MessageRef, ReplyView, SurfaceLimits } from '../../core/message-surface.js';
import { discordContent, toDiscordMarkdown } from './format.js';
import type { DiscordAdapterOptions } from './options.js';

/** A message the bot posted; the interaction surface may move it to the channel when its token runs out. */
export interface SentMessage extends MessageRef {
  id: string;
  channelId: string;
  via: 'channel' | 'webhook';
}

const MAX_BUTTONS_PER_ROW = 5;
const MAX_ROWS = 5;

/** Answers carry citation links; their previews would bury the answer, so embeds are suppressed. */
export const CONTENT_FLAGS = MessageFlags.SuppressEmbeds;
export const NO_PINGS = { parse: [] as [] };

export function discordLimits(options: Pick<DiscordAdapterOptions, 'messageLimit' | 'editIntervalMs'>): SurfaceLimits {
  return {
    maxChars: options.messageLimit,
    editIntervalMs: options.editIntervalMs,
    measure: (markdown) => toDiscordMarkdown(markdown).length,
  };
}

/** A view as the body of a message create/edit call. */
export function messageBody(view: ReplyView, codec: ButtonCodec) {
  return { content: discordContent(view), components: buttonRows(view.buttons, codec), allowed_mentions: NO_PINGS };
}

export function buttonRows(
  buttons: ButtonView[] | undefined,
  codec: ButtonCodec,
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
