import type { Logger } from 'pino';
import type { ApiMessageRef, SlackOutbox } from './outbox.js';
import type { Block } from './render.js';

/** Slack's limit on markdown_text in one stream call. */
const MAX_MARKDOWN_PER_CALL = 12_000;

export interface NativeStreamSettings {
  intervalMs: number;
  /** Text beyond this is not streamed; the final update shows the whole answer instead. */
  maxChars: number;
}

/**
 * One answer streamed with chat.startStream / appendStream / stopStream. The stream opens at once
 * (Slack shows it as in progress); text is coalesced into at most one append per interval, and
 * the stop flushes what is left. A refused start is reported through `onRefused`.
 */
export class NativeStream {
  private ref: ApiMessageRef | undefined;
  private readonly opened: Promise<boolean>;
  private accepted = '';
  private pending = '';
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private lastSentAt = 0;
  private finished = false;
  /** Some text did not reach Slack (an append failed, or the answer outgrew the limit). */
  private lost = false;

  constructor(
    private readonly outbox: SlackOutbox,
    private readonly settings: NativeStreamSettings,
    private readonly logger: Logger,
    onRefused: (err: unknown) => void,
  ) {
    this.opened = this.open(onRefused);
  }

  get posted(): ApiMessageRef | undefined {
    return this.ref;
  }

  /** Resolves once Slack answered the start: true when the stream is open. */
  started(): Promise<boolean> {
    return this.opened;
  }

  append(text: string): void {
    if (this.finished) return;
    const room = Math.max(0, this.settings.maxChars - this.accepted.length);
    if (text.length > room) this.lost = true;
    const piece = text.slice(0, room);
    this.accepted += piece;
    this.pending += piece;
    this.kick();
  }

  /** True when the stream shows exactly `markdown` once the stop flushed what waits. */
  shows(markdown: string): boolean {
    return !this.lost && this.accepted.trim() === markdown.trim();
  }

  /**
   * Flushes the waiting text and ends the stream with `blocks` below it. True only when the blocks
   * were accepted: otherwise the caller replaces the message's content itself.
   */
  async finish(blocks?: Block[]): Promise<boolean> {
    this.finished = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!(await this.opened) || !this.ref) return false;
    await this.inFlight;
    const markdown = this.take();
    try {
      await this.outbox.stopStream(this.ref, { markdown, blocks });
      return blocks !== undefined && !this.lost;
    } catch (err) {
      this.logger.warn({ err, withBlocks: blocks !== undefined }, 'slack: could not stop a native stream');
      if (!blocks) return false;
      try {
        await this.outbox.stopStream(this.ref, { markdown });
      } catch (again) {
        this.logger.warn({ err: again }, 'slack: could not stop a native stream without blocks');
      }
      return false;
    }
  }

  private async open(onRefused: (err: unknown) => void): Promise<boolean> {
    try {
      this.ref = await this.outbox.startStream();
      this.lastSentAt = Date.now();
      this.kick();
      return true;
    } catch (err) {
      onRefused(err);
      return false;
    }
  }

  private kick(): void {
    if (!this.ref || this.inFlight || this.timer || this.pending === '' || this.finished) return;
    const wait = Math.max(0, this.lastSentAt + this.settings.intervalMs - Date.now());
    if (wait === 0) {
      void this.flush();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, wait);
  }

  private async flush(): Promise<void> {
    const ref = this.ref;
    if (!ref) return;
    const op = this.outbox.appendStream(ref, this.take()).catch((err: unknown) => {
      this.lost = true;
      this.logger.warn({ err }, 'slack: could not append to a native stream');
    });
    this.inFlight = op;
    await op;
    this.inFlight = undefined;
    this.lastSentAt = Date.now();
    this.kick();
  }

  /** The next piece of waiting text that one call may carry. */
  private take(): string {
    const piece = this.pending.slice(0, MAX_MARKDOWN_PER_CALL);
    this.pending = this.pending.slice(piece.length);
    if (this.finished && this.pending !== '') this.lost = true;
    return piece;
  }
}
