import { type APIMessage, type REST, type RESTPostAPIChannelMessageJSONBody, Routes } from 'discord.js';
import type { CustomIdCodec } from './custom-id.js';
import { buttonRows, CONTENT_FLAGS, type MessageSurface, NO_PINGS, type OutgoingMessage, type SentMessage } from './surface.js';

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
    private readonly codec: CustomIdCodec,
  ) {}

  async post(message: OutgoingMessage): Promise<SentMessage> {
    const { channelId, replyTo } = await this.target();
    const body: RESTPostAPIChannelMessageJSONBody = { ...this.body(message), flags: CONTENT_FLAGS };
    if (replyTo && !this.replied) body.message_reference = { message_id: replyTo, fail_if_not_exists: false };
    const saved = (await this.rest.post(Routes.channelMessages(channelId), { body })) as APIMessage;
    this.replied = true;
    return { id: saved.id, channelId, via: 'channel' };
  }

  async edit(sent: SentMessage, message: OutgoingMessage): Promise<void> {
    await this.rest.patch(Routes.channelMessage(sent.channelId, sent.id), { body: this.body(message) });
  }

  async remove(sent: SentMessage): Promise<void> {
    await this.rest.delete(Routes.channelMessage(sent.channelId, sent.id));
  }

  async close(): Promise<void> {}

  private body(message: OutgoingMessage) {
    return { content: message.content, components: buttonRows(message.buttons, this.codec), allowed_mentions: NO_PINGS };
  }
}
