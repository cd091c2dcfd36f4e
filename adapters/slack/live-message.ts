import type { Logger } from 'pino';
import type { MessageRef, SlackOutbox } from './outbox.js';
import type { SlackMessage } from './render.js';

/**
 * One bot message that changes while work goes on (a streamed answer, a job's progress). The
 * first content is posted at once; later contents are coalesced so the message is updated at
 * most once per interval; `finish` sends the final content without waiting.
 */
export class LiveMessage {
  private ref: MessageRef | undefined;
  private pending: SlackMessage | undefined;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private lastSentAt = 0;
  private finished = false;

  constructor(
    private readonly outbox: SlackOutbox,
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {}

  get posted(): MessageRef | undefined {
    return this.ref;
  }

  /** Takes over a message posted another way, so that later contents update it. */
  adopt(ref: MessageRef): void {
    this.ref ??= ref;
  }

  show(msg: SlackMessage): void {
    if (this.finished) return;
    this.pending = msg;
    this.kick();
  }

  /** Sends the final content (posting it when nothing was posted yet) once earlier sends settle. */
  async finish(msg: SlackMessage): Promise<MessageRef | undefined> {
    this.finished = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.inFlight;
    this.pending = msg;
    await this.send(true);
    return this.ref;
  }

  /** Sends whatever content is still waiting for its turn, without waiting for the interval. */
  async settle(): Promise<void> {
    const waiting = this.pending;
    if (waiting) {
      await this.finish(waiting);
      return;
    }
    this.finished = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.inFlight;
  }

  private kick(): void {
    if (this.inFlight || this.timer || !this.pending || this.finished) return;
    // response_url allows only a handful of uses: such messages get their final content only.
    if (this.ref?.via === 'response_url') return;
    const wait = this.ref === undefined ? 0 : Math.max(0, this.lastSentAt + this.intervalMs - Date.now());
    if (wait === 0) {
      void this.send(false);
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.send(false);
    }, wait);
  }

  private async send(final: boolean): Promise<void> {
    const msg = this.pending;
    if (!msg) return;
    this.pending = undefined;
    const op = this.deliver(msg, final);
    this.inFlight = op;
    await op;
    this.inFlight = undefined;
    this.lastSentAt = Date.now();
    this.kick();
  }

  private async deliver(msg: SlackMessage, final: boolean): Promise<void> {
    try {
      if (this.ref) await this.outbox.update(this.ref, msg);
      else this.ref = await this.outbox.post(msg);
    } catch (err) {
      this.logger.warn({ err, final }, 'slack: could not post or update a message');
      if (!final || !this.ref) return;
      // The message may have been deleted meanwhile: the final content still reaches the thread.
      try {
        this.ref = await this.outbox.post(msg);
      } catch (again) {
        this.logger.error({ err: again }, 'slack: could not deliver a final message');
      }
    }
  }
}
