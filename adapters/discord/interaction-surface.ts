import { type ButtonInteraction, type ChatInputCommandInteraction, MessageFlags } from 'discord.js';
import type { ButtonCodec } from '../../core/button-codec.js';
import type { MessageSurface, ReplyView, SurfaceLimits } from '../../core/message-surface.js';
import type { ChannelSurface } from './channel-surface.js';
import { discordContent } from './format.js';
import { buttonRows, NO_PINGS, type SentMessage } from './surface.js';

export interface InteractionSurfaceOptions {
  interaction: ChatInputCommandInteraction | ButtonInteraction;
  /** Resolves true once the interaction was acknowledged (deferred). */
  acked: Promise<boolean>;
  /** A deferred command reply owns its "thinking…" message and fills it first; a button click does not. */
  ownsOriginal: boolean;
  /** After this instant (interaction tokens expire at 15 minutes) messages go to the channel instead. */
  deadline: number;
  now: () => number;
  fallback: ChannelSurface;
  codec: ButtonCodec;
}

const MOVED_NOTE = '-# Continued in a new message below.';

/** Replies through the interaction webhook: the deferred original first, then follow-ups. */
export class InteractionSurface implements MessageSurface {
  private originalUsed = false;
  readonly limits: SurfaceLimits;

  constructor(private readonly o: InteractionSurfaceOptions) {
    this.limits = o.fallback.limits;
  }

  async post(message: ReplyView): Promise<SentMessage> {
    if (!(await this.tokenUsable())) return this.o.fallback.post(message);
    const interaction = this.o.interaction;
    if (this.o.ownsOriginal && !this.originalUsed) {
      this.originalUsed = true;
      if (!message.ephemeral) {
        const saved = await interaction.editReply(this.options(message));
        return { id: '@original', channelId: saved.channelId, via: 'webhook' };
      }
      // The original was deferred in public; an ephemeral message has to be a follow-up.
      await interaction.deleteReply();
    }
    const flags = message.ephemeral
      ? ([MessageFlags.Ephemeral, MessageFlags.SuppressEmbeds] as const)
      : ([MessageFlags.SuppressEmbeds] as const);
    const saved = await interaction.followUp({ ...this.options(message), flags });
    return { id: saved.id, channelId: saved.channelId, via: 'webhook' };
  }

  async edit(sent: SentMessage, message: ReplyView): Promise<void> {
    if (sent.via === 'channel') return this.o.fallback.edit(sent, message);
    if (await this.tokenUsable()) {
      await this.o.interaction.webhook.editMessage(sent.id, this.options(message));
      return;
    }
    // Past the deadline the token still works for a little while: point from the old message to its continuation.
    const moved = await this.o.fallback.post(message);
    await this.o.interaction.webhook.editMessage(sent.id, { content: MOVED_NOTE, components: [] }).catch(() => undefined);
    Object.assign(sent, moved);
  }

  async remove(sent: SentMessage): Promise<void> {
    if (sent.via === 'channel') return this.o.fallback.remove(sent);
    await this.o.interaction.webhook.deleteMessage(sent.id);
  }

  /** A command that produced no message would leave "thinking…" forever, so its deferred reply is removed. */
  async close(): Promise<void> {
    if (this.o.ownsOriginal && !this.originalUsed && (await this.tokenUsable())) {
      this.originalUsed = true;
      await this.o.interaction.deleteReply();
    }
  }

  private async tokenUsable(): Promise<boolean> {
    const acked = await this.o.acked;
    return acked && this.o.now() < this.o.deadline;
  }

  private options(message: ReplyView) {
    return { content: discordContent(message), components: buttonRows(message.buttons, this.o.codec), allowedMentions: NO_PINGS };
  }
}
