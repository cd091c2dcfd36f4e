import type { Logger } from 'pino';
import type { ButtonView, JobProgressView, Reply, ReplyPart } from '../../core/chat.js';
import { AnswerStream, type StreamSettings } from './answer-stream.js';
import { renderError, toDiscordMarkdown } from './format.js';
import { ProgressMessage } from './progress-message.js';
import { SerialQueue } from './serial-queue.js';
import { splitMessage } from './split.js';
import type { MessageSurface } from './surface.js';

/** Renders the runtime's reply parts for one incoming event onto a message surface. */
export class DiscordReply implements Reply {
  private readonly ops: SerialQueue;
  private stream: AnswerStream | undefined;
  private readonly jobs = new Map<string, ProgressMessage>();
  private ended = false;

  constructor(
    private readonly surface: MessageSurface,
    private readonly settings: StreamSettings,
    logger: Logger,
  ) {
    this.ops = new SerialQueue(logger);
  }

  async write(part: ReplyPart): Promise<void> {
    if (this.ended) return;
    switch (part.type) {
      case 'status':
        this.answer().setStatus(part.text);
        return;
      case 'text':
        this.answer().append(part.text);
        return;
      case 'citation':
        this.answer().cite(part.citation);
        return;
      case 'done':
        return this.takeAnswer().finish(part.answer);
      case 'error':
        if (this.stream) return this.takeAnswer().fail(part.message, part.ref);
        return this.post(renderError(part.message, part.ref));
      case 'message':
        return this.post(toDiscordMarkdown(part.markdown), { ephemeral: part.ephemeral });
      case 'buttons':
        return this.post(toDiscordMarkdown(part.markdown), { buttons: part.buttons });
      case 'progress':
        return this.job(part.progress).update(part.progress);
    }
  }

  async end(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    await this.stream?.settle();
    this.stream = undefined;
    for (const job of this.jobs.values()) await job.flush();
    await this.ops.run(() => this.surface.close());
  }

  private answer(): AnswerStream {
    this.stream ??= new AnswerStream(this.surface, this.ops, this.settings);
    return this.stream;
  }

  private takeAnswer(): AnswerStream {
    const stream = this.answer();
    this.stream = undefined;
    return stream;
  }

  private job(progress: JobProgressView): ProgressMessage {
    let job = this.jobs.get(progress.jobId);
    if (!job) {
      job = new ProgressMessage(this.surface, this.ops, this.settings.editIntervalMs, this.settings.messageLimit);
      this.jobs.set(progress.jobId, job);
    }
    return job;
  }

  private post(markdown: string, extra: { ephemeral?: boolean; buttons?: ButtonView[] } = {}): Promise<void> {
    return this.ops.run(async () => {
      const chunks = splitMessage(markdown, this.settings.messageLimit);
      for (const [i, content] of chunks.entries()) {
        const last = i === chunks.length - 1;
        await this.surface.post({ content, ephemeral: extra.ephemeral, buttons: last ? extra.buttons : undefined });
      }
    });
  }
}
