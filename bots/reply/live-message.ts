import type { Logger } from 'pino';
import type { MessageRef, MessageSurface, ReplyView } from '../../core/message-surface.js';

/**
 * Content shown as one or more messages and kept up to date: each call edits only the messages
 * whose view changed, posts the ones that are new and removes the ones no longer needed. A final
 * edit that fails (the message was deleted meanwhile) posts the content anew, so it is never lost.
 */
export class LiveMessage {
  private readonly sent: MessageRef[] = [];
  private readonly shown: string[] = [];

  constructor(
    private readonly surface: MessageSurface,
    private readonly logger: Logger,
  ) {}

  get posted(): boolean {
    return this.sent.length > 0;
  }

  /** Takes over a message posted another way (a placeholder, a native stream) as the first one. */
  adopt(ref: MessageRef, shownAs = ''): void {
    if (this.sent.length > 0) return;
    this.sent.push(ref);
    this.shown.push(shownAs);
  }

  async show(views: ReplyView[], final: boolean): Promise<void> {
    for (const [i, view] of views.entries()) {
      const key = JSON.stringify(view);
      const existing = this.sent[i];
      if (!existing) this.sent[i] = await this.surface.post(view);
      else if (this.shown[i] !== key) await this.edit(i, existing, view, final);
      this.shown[i] = key;
    }
    while (this.sent.length > views.length) {
      const extra = this.sent.pop() as MessageRef;
      this.shown.pop();
      await this.surface.remove(extra);
    }
  }

  private async edit(i: number, ref: MessageRef, view: ReplyView, final: boolean): Promise<void> {
    try {
      await this.surface.edit(ref, view, { final });
    } catch (err) {
      if (!final) throw err;
      this.logger.warn({ err }, 'a final message update failed; posting it as a new message');
      this.sent[i] = await this.surface.post(view);
    }
  }
}
