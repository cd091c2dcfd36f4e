import type { Logger } from 'pino';
import type { Citation, FinalAnswer } from '../../core/answer.js';
import { LiveMessage } from './live-message.js';
import type { SlackOutbox } from './outbox.js';
import { answerMessages, errorMessage, interimMessage } from './render.js';

export interface StreamSettings {
  updateIntervalMs: number;
  maxMessageChars: number;
}

/**
 * One answer as it streams: a placeholder (the status, or "…") posted on the first part, updated
 * with the text so far, and replaced by the rendered answer on `done` — continued in further
 * messages when it is longer than one message holds.
 */
export class AnswerStream {
  private readonly live: LiveMessage;
  private text = '';
  private status: string | undefined;
  private readonly citations: Citation[] = [];
  private closed = false;

  constructor(
    private readonly outbox: SlackOutbox,
    private readonly settings: StreamSettings,
    private readonly logger: Logger,
  ) {
    this.live = new LiveMessage(outbox, settings.updateIntervalMs, logger);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  setStatus(text: string): void {
    this.status = text;
    if (this.text === '') this.refresh();
  }

  append(text: string): void {
    this.text += text;
    this.refresh();
  }

  cite(citation: Citation): void {
    this.citations.push(citation);
  }

  async done(answer: FinalAnswer): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const [first, ...rest] = answerMessages(answer, this.settings.maxMessageChars);
    if (first) await this.live.finish(first);
    for (const msg of rest) {
      try {
        await this.outbox.post(msg);
      } catch (err) {
        this.logger.error({ err }, 'slack: could not post the continuation of an answer');
      }
    }
  }

  async fail(message: string, ref: string | undefined): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.live.finish(errorMessage(message, ref, this.text));
  }

  /** The runtime ended without `done`: show what arrived, as an answer without feedback buttons. */
  async close(): Promise<void> {
    if (this.closed) return;
    if (this.text === '' && this.live.posted === undefined) {
      this.closed = true;
      return;
    }
    const sources = [...new Set(this.citations.map((c) => c.kb).filter((kb): kb is string => kb !== undefined))];
    await this.done({ markdown: this.text || '…', citations: this.citations, sources, mode: 'kb' });
  }

  private refresh(): void {
    this.live.show(interimMessage(this.text, this.status, this.settings.maxMessageChars));
  }
}
