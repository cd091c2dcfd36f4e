import type { Logger } from 'pino';
import type { Citation, FinalAnswer } from '../../core/answer.js';
import { LiveMessage } from './live-message.js';
import { NativeStream } from './native-stream.js';
import type { SlackOutbox } from './outbox.js';
import { answerFooter, answerMessages, errorMessage, interimMessage, type SlackMessage } from './render.js';
import type { StreamingChoice } from './streaming-choice.js';

export interface StreamSettings {
  updateIntervalMs: number;
  maxMessageChars: number;
  /** Native streaming policy; without it answers stream by chat.update. */
  streaming?: StreamingChoice;
}

/**
 * One answer as it streams. Natively (chat.startStream in the thread, appends, and a stop that
 * adds citations and buttons below the text) when the policy allows it; otherwise — or once Slack
 * refuses the stream — as a placeholder (the status, or "…") updated with the text so far. Either
 * way it ends as the rendered answer, continued in further messages when it is too long for one.
 */
export class AnswerStream {
  private readonly live: LiveMessage;
  private native: NativeStream | undefined;
  private begun = false;
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
    this.begin();
    if (!this.native && this.text === '') this.refresh();
  }

  append(text: string): void {
    this.text += text;
    this.begin();
    if (this.native) this.native.append(text);
    else this.refresh();
  }

  cite(citation: Citation): void {
    this.citations.push(citation);
  }

  async done(answer: FinalAnswer): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const [first, ...rest] = answerMessages(answer, this.settings.maxMessageChars);
    if (first) await this.finishFirst(first, rest.length === 0 ? answer : undefined);
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
    await this.finishFirst(errorMessage(message, ref, this.text));
  }

  /** The runtime ended without `done`: show what arrived, as an answer without feedback buttons. */
  async close(): Promise<void> {
    if (this.closed) return;
    const streaming = (await this.native?.started()) === true;
    if (this.text === '' && this.live.posted === undefined && !streaming) {
      this.closed = true;
      return;
    }
    const sources = [...new Set(this.citations.map((c) => c.kb).filter((kb): kb is string => kb !== undefined))];
    await this.done({ markdown: this.text || '…', citations: this.citations, sources, mode: 'kb' });
  }

  /**
   * Shows the final content of the first message. A native stream is stopped with the footer
   * blocks when it already shows exactly the answer (`whole`: the answer fits one message);
   * otherwise the streamed message is replaced like a placeholder.
   */
  private async finishFirst(msg: SlackMessage, whole?: FinalAnswer): Promise<void> {
    const native = this.native;
    if (native) {
      const exact = whole !== undefined && native.shows(whole.markdown);
      if (await native.finish(exact ? answerFooter(whole) : undefined)) return;
      if (native.posted) this.live.adopt(native.posted);
    }
    await this.live.finish(msg);
  }

  private begin(): void {
    if (this.begun) return;
    this.begun = true;
    if (!this.settings.streaming?.useNative(this.outbox.target)) return;
    const settings = { intervalMs: this.settings.updateIntervalMs, maxChars: this.settings.maxMessageChars };
    this.native = new NativeStream(this.outbox, settings, this.logger, (err) => this.nativeRefused(err));
  }

  private nativeRefused(err: unknown): void {
    this.settings.streaming?.refused(err);
    this.native = undefined;
    if (!this.closed) this.refresh();
  }

  private refresh(): void {
    this.live.show(interimMessage(this.text, this.status, this.settings.maxMessageChars));
  }
}
