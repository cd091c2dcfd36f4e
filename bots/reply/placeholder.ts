import type { Logger } from 'pino';
import type { MessageRef, MessageSurface } from '../../core/message-surface.js';
import { statusMarkdown } from './answer-format.js';

/**
 * A "Thinking…" message posted as soon as an event arrives, so users see the bot react at once.
 * The reply's first message takes its place; a reply that shows nothing removes it.
 */
export class Placeholder {
  private pending: Promise<MessageRef | undefined> | undefined;

  constructor(
    private readonly surface: MessageSurface,
    private readonly logger: Logger,
  ) {}

  /** Posts it; never throws (a reply can still be posted without one). */
  async open(): Promise<void> {
    this.pending = this.surface.post({ kind: 'placeholder', markdown: statusMarkdown(undefined) }).catch((err: unknown) => {
      this.logger.warn({ err }, 'could not post the placeholder message');
      return undefined;
    });
    await this.pending;
  }

  get waiting(): boolean {
    return this.pending !== undefined;
  }

  /** Hands the placeholder to whoever shows something first (once). */
  async take(): Promise<MessageRef | undefined> {
    const pending = this.pending;
    this.pending = undefined;
    return pending ? await pending : undefined;
  }

  /** Removes it when nobody took it. */
  async discard(): Promise<void> {
    const unused = await this.take();
    if (unused) await this.surface.remove(unused);
  }
}
