import type { Logger } from 'pino';
import type { Citation, FinalAnswer } from '../../core/answer.js';
import { feedbackButtons } from '../../core/button-codec.js';
import type { MessageSurface, ReplyView, StreamHandle } from '../../core/message-surface.js';
import {
  answerFooter,
  answerMarkdown,
  type CitationLinks,
  errorMarkdown,
  mergeCitations,
  statusMarkdown,
} from './answer-format.js';
import { LiveMessage } from './live-message.js';
import type { Placeholder } from './placeholder.js';
import type { SerialQueue } from './serial-queue.js';
import { Throttle } from './throttle.js';
import { type Sizer, viewsOf } from './views.js';

export interface AnswerStreamDeps {
  surface: MessageSurface;
  ops: SerialQueue;
  placeholder: Placeholder;
  sizer: Sizer;
  links: CitationLinks;
  logger: Logger;
}

/**
 * One streamed answer. It streams natively when the surface can (text appended to one message)
 * and otherwise — or once the platform refuses — as a message edited with the text so far, at
 * most once per edit interval, spilling into further messages past the length limit. It ends as
 * the final answer: text, numbered citations, the sources line and feedback buttons.
 */
export class AnswerStream {
  private text = '';
  private status: string | undefined;
  private readonly citations: Citation[] = [];
  private finished = false;
  private readonly live: LiveMessage;
  private readonly throttle: Throttle;
  private native: Promise<StreamHandle | undefined> | undefined;
  private begun = false;
  /** Text handed to the native stream so far, and text waiting for the next append. */
  private appended = '';
  private unsent = '';

  constructor(private readonly d: AnswerStreamDeps) {
    this.live = new LiveMessage(d.surface, d.logger);
    this.throttle = new Throttle(d.surface.limits.editIntervalMs, () => d.ops.run(() => this.update()));
  }

  setStatus(status: string): void {
    if (this.finished) return;
    this.status = status;
    this.begin();
    if (!this.text) this.throttle.poke();
  }

  append(text: string): void {
    if (this.finished || !text) return;
    this.text += text;
    this.unsent += text;
    this.begin();
    this.throttle.poke();
  }

  cite(citation: Citation): void {
    this.citations.push(citation);
  }

  async finish(answer: FinalAnswer): Promise<void> {
    const citations = mergeCitations(answer.citations, this.citations);
    const footer = { footer: answerFooter(answer), buttons: answer.answerId ? feedbackButtons(answer.answerId) : [] };
    await this.close(viewsOf('answer', answerMarkdown(answer, citations, this.d.links), this.d.sizer, footer));
  }

  /** Shows an error in place of (or under) what was streamed so far. */
  async fail(message: string, ref: string | undefined): Promise<void> {
    const error = errorMarkdown(message, ref);
    await this.close(viewsOf('error', this.text.trim() ? `${this.text.trim()}\n\n${error}` : error, this.d.sizer));
  }

  /** The reply ended without a final answer: show what arrived. */
  async settle(): Promise<void> {
    if (this.finished) return;
    if (!this.text.trim() && !this.live.posted && !this.native) {
      this.finished = true;
      await this.throttle.stop();
      return;
    }
    await this.close(viewsOf('answer', this.text.trim() || '…', this.d.sizer));
  }

  private async close(views: ReplyView[]): Promise<void> {
    this.finished = true;
    await this.throttle.stop();
    await this.d.ops.run(async () => {
      const handle = await this.native;
      const [first] = views;
      if (handle && first) {
        try {
          await this.appendNative(handle);
          await handle.stop(first);
          this.live.adopt(handle.ref, JSON.stringify(first));
        } catch (err) {
          this.d.logger.warn({ err }, 'a native stream could not show the final answer; editing it instead');
          this.live.adopt(handle.ref);
        }
      } else await this.adoptPlaceholder();
      await this.live.show(views, true);
    });
  }

  /** Starts native streaming on the first part when the surface offers it. */
  private begin(): void {
    if (this.begun) return;
    this.begun = true;
    const stream = this.d.surface.stream;
    if (!stream) return;
    this.native = this.d.placeholder.take().then(async (placeholder) => {
      try {
        const handle = await stream.start(placeholder);
        if (placeholder && placeholder.id !== handle.ref.id) await this.d.surface.remove(placeholder);
        return handle;
      } catch (err) {
        this.d.logger.warn({ err }, 'native streaming refused; this answer streams by message edits');
        if (placeholder) this.live.adopt(placeholder);
        this.throttle.poke();
        return undefined;
      }
    });
  }

  private async update(): Promise<void> {
    const handle = await this.native;
    if (handle) return this.appendNative(handle);
    await this.adoptPlaceholder();
    const views = this.text.trim()
      ? viewsOf('answer', this.text, this.d.sizer)
      : [{ kind: 'status' as const, markdown: statusMarkdown(this.status) }];
    await this.live.show(views, false);
  }

  /** Appends what waits, up to one message's worth; the final stop shows the whole answer anyway. */
  private async appendNative(handle: StreamHandle): Promise<void> {
    const room = this.d.sizer.limit - this.d.sizer.measure(this.appended);
    if (!this.unsent || room <= 0) return;
    const piece = this.unsent.length <= room ? this.unsent : this.unsent.slice(0, room);
    this.unsent = this.unsent.slice(piece.length);
    this.appended += piece;
    await handle.append(piece).catch((err: unknown) => this.d.logger.warn({ err }, 'appending to a native stream failed'));
  }

  private async adoptPlaceholder(): Promise<void> {
    if (!this.d.placeholder.waiting) return;
    const ref = await this.d.placeholder.take();
    if (ref) this.live.adopt(ref);
  }
}
