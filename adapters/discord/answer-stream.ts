import type { Citation, FinalAnswer } from '../../core/answer.js';
import { feedbackButtons } from './custom-id.js';
import { renderError, renderFinalAnswer, renderStreaming, toDiscordMarkdown } from './format.js';
import { LiveMessage } from './live-message.js';
import type { SerialQueue } from './serial-queue.js';
import { splitMessage } from './split.js';
import type { MessageSurface } from './surface.js';
import { Throttle } from './throttle.js';

export interface StreamSettings {
  editIntervalMs: number;
  messageLimit: number;
}

/**
 * One streamed answer: a placeholder that fills with text as it arrives (edits throttled), spilling
 * into follow-up messages past the length limit, and a final render with citations and feedback buttons.
 */
export class AnswerStream {
  private text = '';
  private status: string | undefined;
  private readonly citations: Citation[] = [];
  private finished = false;
  private readonly live: LiveMessage;
  private readonly throttle: Throttle;

  constructor(
    surface: MessageSurface,
    private readonly ops: SerialQueue,
    private readonly settings: StreamSettings,
  ) {
    this.live = new LiveMessage(surface);
    this.throttle = new Throttle(settings.editIntervalMs, () => this.ops.run(() => this.showProgress()));
  }

  setStatus(status: string): void {
    if (this.finished) return;
    this.status = status;
    if (!this.text) this.throttle.poke();
  }

  append(text: string): void {
    if (this.finished || !text) return;
    this.text += text;
    this.throttle.poke();
  }

  cite(citation: Citation): void {
    this.citations.push(citation);
  }

  async finish(answer: FinalAnswer): Promise<void> {
    await this.close();
    const buttons = answer.answerId ? feedbackButtons(answer.answerId) : [];
    const final = renderFinalAnswer(answer, this.citations);
    await this.ops.run(() => this.live.show(this.split(final), buttons));
  }

  /** Shows an error in place of (or under) what was streamed so far. */
  async fail(message: string, ref: string | undefined): Promise<void> {
    await this.close();
    const error = renderError(message, ref);
    const body = this.text.trim() ? `${toDiscordMarkdown(this.text.trim())}\n\n${error}` : error;
    await this.ops.run(() => this.live.show(this.split(body)));
  }

  /** The reply ended without a final answer: show what arrived. */
  async settle(): Promise<void> {
    if (this.finished) return;
    await this.close();
    if (this.text.trim() || this.live.posted) await this.ops.run(() => this.showProgress());
  }

  private async close(): Promise<void> {
    this.finished = true;
    await this.throttle.stop();
  }

  private showProgress(): Promise<void> {
    return this.live.show(this.split(renderStreaming(this.text, this.status)));
  }

  private split(text: string): string[] {
    return splitMessage(text, this.settings.messageLimit);
  }
}
