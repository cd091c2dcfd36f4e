import type { JobProgressView } from '../../core/chat.js';
import { renderProgress } from './format.js';
import { LiveMessage } from './live-message.js';
import type { SerialQueue } from './serial-queue.js';
import { splitMessage } from './split.js';
import type { MessageSurface } from './surface.js';
import { Throttle } from './throttle.js';

/** One job's progress, shown as a single message updated in place (throttled), ending with its summary. */
export class ProgressMessage {
  private latest: JobProgressView | undefined;
  private readonly live: LiveMessage;
  private readonly throttle: Throttle;

  constructor(
    surface: MessageSurface,
    private readonly ops: SerialQueue,
    intervalMs: number,
    private readonly messageLimit: number,
  ) {
    this.live = new LiveMessage(surface);
    this.throttle = new Throttle(intervalMs, () => this.ops.run(() => this.show()));
  }

  async update(progress: JobProgressView): Promise<void> {
    this.latest = progress;
    if (progress.summary === undefined) {
      this.throttle.poke();
      return;
    }
    await this.throttle.stop();
    await this.ops.run(() => this.show());
  }

  /** Shows the last update if the throttle was still holding it. */
  async flush(): Promise<void> {
    if (await this.throttle.stop()) await this.ops.run(() => this.show());
  }

  private async show(): Promise<void> {
    if (this.latest) await this.live.show(splitMessage(renderProgress(this.latest), this.messageLimit));
  }
}
