import { type APIMessage, type REST, type RESTPostAPIChannelMessageJSONBody, Routes } from 'discord.js';
import type { ButtonCodec } from '../../core/button-codec.js';
import type { MessageSurface, ReplyView, SurfaceLimits } from '../../core/message-surface.js';
import { CONTENT_FLAGS, messageBody, type SentMessage } from './surface.js';

/** Where channel messages go; `replyTo` makes the first message a reply to the user's message. */
export interface ChannelTarget {
  channelId: string;
  replyTo?: string;
}

/** Posts and edits plain channel (or thread, or DM) messages through discord.js REST, which queues per rate-limit bucket. */
export class ChannelSurface implements MessageSurface {
  private replied = false;

  constructor(
    private readonly rest: REST,
    private readonly target: () => Promise<ChannelTarget>,
    private readonly codec: ButtonCodec,
    readonly limits: SurfaceLimits,
  ) {}

  async post(view: ReplyView): Promise<SentMessage> {
    const { channelId, replyTo } = await this.target();
    const body: RESTPostAPIChannelMessageJSONBody = { ...messageBody(view, this.codec), flags: CONTENT_FLAGS };
    if (replyTo && !this.replied) body.message_reference = { message_id: replyTo, fail_if_not_exists: false };
    const saved = (await this.rest.post(Routes.channelMessages(channelId), { body })) as APIMessage;
    this.replied = true;
    return { id: saved.id, channelId, via: 'channel' };
  }

  async edit(sent: SentMessage, view: ReplyView): Promise<void> {
    await this.rest.patch(Routes.channelMessage(sent.channelId, sent.id), { body: messageBody(view, this.codec) });
  }

  async remove(sent: SentMessage): Promise<void> {
    await this.rest.delete(Routes.channelMessage(sent.channelId, sent.id));
  }
}
