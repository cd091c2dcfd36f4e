import type { ButtonView } from '../../core/chat.js';
import type { MessageSurface, SentMessage } from './surface.js';

/**
 * A piece of content shown as one or more messages and kept up to date: each call edits only the
 * messages whose text changed, posts the ones that are new and removes the ones no longer needed.
 */
export class LiveMessage {
  private readonly sent: SentMessage[] = [];
  private readonly shown: string[] = [];

  constructor(private readonly surface: MessageSurface) {}

  get posted(): boolean {
    return this.sent.length > 0;
  }

  async show(chunks: string[], lastButtons: ButtonView[] = []): Promise<void> {
    for (const [i, content] of chunks.entries()) {
      const buttons = i === chunks.length - 1 ? lastButtons : [];
      const key = `${content}\u0000${JSON.stringify(buttons)}`;
      const existing = this.sent[i];
      if (!existing) {
        this.sent[i] = await this.surface.post({ content, buttons });
      } else if (this.shown[i] !== key) {
        await this.surface.edit(existing, { content, buttons });
      }
      this.shown[i] = key;
    }
    while (this.sent.length > chunks.length) {
      const extra = this.sent.pop() as SentMessage;
      this.shown.pop();
      await this.surface.remove(extra);
    }
  }
}
