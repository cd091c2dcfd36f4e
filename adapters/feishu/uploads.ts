import type { ChatContext, FileRef } from '../../core/chat.js';

/**
 * A Feishu file or image message carries no text, so `/kb upload <kb>` cannot hold its files.
 * The command opens a window: file messages from the same user in the same chat while it is
 * open (or sent as replies to the command message) are collected; files arriving close together
 * are handed over as one upload command.
 */
export interface UploadWindow {
  context: ChatContext;
  /** Command text after `/kb`, e.g. `upload handbook`. */
  command: string;
  inThread: boolean;
  expiresAt: number;
}

export interface CollectedUpload {
  window: UploadWindow;
  files: FileRef[];
  /** Event id of the first file message of the batch (the upload's own event id). */
  eventId: string;
}

interface Batch {
  files: FileRef[];
  eventId: string;
  timer: NodeJS.Timeout;
}

const MAX_WINDOWS = 1_000;

export function isUploadCommand(command: string): boolean {
  return /^upload(?:\s|$)/i.test(command);
}

export class UploadWindows {
  private readonly windows = new Map<string, UploadWindow>();
  private readonly batches = new Map<string, Batch>();

  constructor(
    private readonly windowMs: number,
    private readonly settleMs: number,
    private readonly emit: (upload: CollectedUpload) => void,
  ) {}

  open(context: ChatContext, command: string, inThread: boolean): UploadWindow {
    const key = this.key(context.channel, context.user);
    const window = { context, command, inThread, expiresAt: Date.now() + this.windowMs };
    this.windows.delete(key);
    this.windows.set(key, window);
    if (this.windows.size > MAX_WINDOWS) {
      const oldest = this.windows.keys().next().value;
      if (oldest !== undefined) this.windows.delete(oldest);
    }
    return window;
  }

  /** Takes the files of a file/image message when a window of that user in that chat accepts them. */
  offer(chatId: string, userId: string, parentId: string | undefined, eventId: string, files: FileRef[]): boolean {
    const key = this.key(chatId, userId);
    const window = this.windows.get(key);
    if (!window || files.length === 0) return false;
    const repliesToCommand = parentId !== undefined && parentId === window.context.messageId;
    if (!repliesToCommand && window.expiresAt < Date.now()) return false;
    const batch = this.batches.get(key);
    if (batch) {
      clearTimeout(batch.timer);
      batch.files.push(...files);
      batch.timer = this.settle(key);
    } else {
      this.batches.set(key, { files: [...files], eventId, timer: this.settle(key) });
    }
    return true;
  }

  /** Hands over all batches now (shutdown) and forgets the windows. */
  flushAll(): void {
    for (const key of [...this.batches.keys()]) this.release(key);
    this.windows.clear();
  }

  private settle(key: string): NodeJS.Timeout {
    const timer = setTimeout(() => this.release(key), this.settleMs);
    timer.unref();
    return timer;
  }

  private release(key: string): void {
    const batch = this.batches.get(key);
    const window = this.windows.get(key);
    this.batches.delete(key);
    if (!batch || !window) return;
    clearTimeout(batch.timer);
    this.emit({ window, files: batch.files, eventId: batch.eventId });
  }

  private key(chatId: string, userId: string): string {
    return `${chatId}\u0000${userId}`;
  }
}
