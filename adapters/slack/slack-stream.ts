import type { Logger } from 'pino';
import type { ReplyView, StreamHandle } from '../../core/message-surface.js';
import type { ApiMessageRef, SlackOutbox } from './outbox.js';
import type { SlackMessage } from './render.js';

/** Slack's limit on markdown_text in one stream call. */
const MAX_MARKDOWN_PER_CALL = 12_000;

/**
 * One answer streamed with chat.startStream / appendStream / stopStream. The stop can only add
 * blocks below the streamed text, so it ends the stream with the footer and buttons when the
 * streamed text is exactly the final one, and otherwise stops it and replaces its content.
 */
export class SlackStream implements StreamHandle {
  readonly ref: ApiMessageRef & { id: string };
  private streamed = '';
  /** Some text did not reach Slack (an append failed). */
  private lost = false;

  constructor(
    private readonly outbox: SlackOutbox,
    ref: ApiMessageRef,
    private readonly render: (view: ReplyView) => SlackMessage,
    private readonly logger: Logger,
  ) {
    this.ref = { ...ref, id: ref.ts };
  }

  async append(text: string): Promise<void> {
    for (let at = 0; at < text.length; at += MAX_MARKDOWN_PER_CALL) {
      const piece = text.slice(at, at + MAX_MARKDOWN_PER_CALL);
      try {
        await this.outbox.appendStream(this.ref, piece);
        this.streamed += piece;
      } catch (err) {
        this.lost = true;
        throw err;
      }
    }
  }

  async stop(view: ReplyView): Promise<void> {
    const streamed = this.streamed.trim();
    const final = view.markdown.trim();
    // What the stream lacks (the citation list) and the footer go into the blocks below it.
    if (view.kind === 'answer' && !this.lost && streamed !== '' && final.startsWith(streamed)) {
      const below = this.render({ ...view, markdown: final.slice(streamed.length).trim() }).blocks ?? [];
      try {
        await this.outbox.stopStream(this.ref, below.length > 0 ? { blocks: below } : {});
        return;
      } catch (err) {
        this.logger.warn({ err }, 'slack: could not stop a native stream with its footer');
      }
    }
    await this.outbox
      .stopStream(this.ref)
      .catch((err: unknown) => this.logger.warn({ err }, 'slack: could not stop a native stream'));
    await this.outbox.update(this.ref, this.render(view));
  }
}
