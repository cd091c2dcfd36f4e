import type { Logger } from 'pino';
import type { MessageSurface, OutgoingMessage, SentMessage } from './surface.js';

export const THINKING = '*Thinking…*';

/**
 * Shows a "Thinking…" message as soon as a question arrives; the reply's first message takes its
 * place, and a reply that shows nothing removes it. Users see the bot react at once, and every
 * reply starts in the same message.
 */
export class PlaceholderSurface implements MessageSurface {
  private placeholder: Promise<SentMessage | undefined> | undefined;

  constructor(
    private readonly inner: MessageSurface,
    private readonly logger: Logger,
  ) {}

  /** Posts the placeholder; never throws (a reply can still be posted without one). */
  async open(text = THINKING): Promise<void> {
    this.placeholder = this.inner.post({ content: text }).catch((err: unknown) => {
      this.logger.warn({ err }, 'discord: could not post the placeholder message');
      return undefined;
    });
    await this.placeholder;
  }

  async post(message: OutgoingMessage): Promise<SentMessage> {
    const placeholder = await this.take();
    if (!placeholder) return this.inner.post(message);
    await this.inner.edit(placeholder, message);
    return placeholder;
  }

  edit(sent: SentMessage, message: OutgoingMessage): Promise<void> {
    return this.inner.edit(sent, message);
  }

  remove(sent: SentMessage): Promise<void> {
    return this.inner.remove(sent);
  }

  async close(): Promise<void> {
    const placeholder = await this.take();
    if (placeholder) await this.inner.remove(placeholder);
    await this.inner.close();
  }

  private async take(): Promise<SentMessage | undefined> {
    const placeholder = this.placeholder;
    this.placeholder = undefined;
    return placeholder ? await placeholder : undefined;
  }
}
