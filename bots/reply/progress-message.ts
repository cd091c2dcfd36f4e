import type { Logger } from 'pino';
import type { JobProgressView } from '../../core/chat.js';
import type { MessageSurface } from '../../core/message-surface.js';
import { progressMarkdown } from './answer-format.js';
import { LiveMessage } from './live-message.js';
import type { Placeholder } from './placeholder.js';
import type { SerialQueue } from './serial-queue.js';
import { Throttle } from './throttle.js';
import { type Sizer, viewsOf } from './views.js';

/** One job's progress, shown as a message updated in place (throttled), ending with its summary. */
export class ProgressMessage {
  private latest: JobProgressView | undefined;
  private readonly live: LiveMessage;
  private readonly throttle: Throttle;

  constructor(
    surface: MessageSurface,
    private readonly ops: SerialQueue,
    private readonly placeholder: Placeholder,
    private readonly sizer: Sizer,
    logger: Logger,
  ) {
    this.live = new LiveMessage(surface, logger);
    this.throttle = new Throttle(surface.limits.editIntervalMs, () => this.ops.run(() => this.show(false)));
  }

  async update(progress: JobProgressView): Promise<void> {
    this.latest = progress;
    if (progress.summary === undefined) {
      this.throttle.poke();
      return;
    }
    await this.throttle.stop();
    await this.ops.run(() => this.show(true));
  }

  /** Shows the last update if the throttle was still holding it. */
  async flush(): Promise<void> {
    if (await this.throttle.stop()) await this.ops.run(() => this.show(true));
  }

  private async show(final: boolean): Promise<void> {
    if (!this.latest) return;
    if (this.placeholder.waiting) {
      const ref = await this.placeholder.take();
      if (ref) this.live.adopt(ref);
    }
    await this.live.show(viewsOf('progress', progressMarkdown(this.latest), this.sizer), final);
  }
}
