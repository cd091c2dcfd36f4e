import type { Logger } from 'pino';
import type { AnswerPart } from '../../core/answer.js';
import type { JobProgressView, Reply, ReplyPart } from '../../core/chat.js';
import type { MessageSurface, ReplyView } from '../../core/message-surface.js';
import { type CitationLinks, errorMarkdown } from './answer-format.js';
import { AnswerStream } from './answer-stream.js';
import { LiveMessage } from './live-message.js';
import { Placeholder } from './placeholder.js';
import { ProgressMessage } from './progress-message.js';
import { SerialQueue } from './serial-queue.js';
import type { Sizer } from './views.js';
import { viewsOf } from './views.js';

export interface ReplyRendererOptions {
  logger: Logger;
  links?: CitationLinks;
}

/**
 * The one reply pipeline: renders the runtime's parts for one incoming event onto a platform's
 * message surface. It owns the placeholder, throttled streaming edits (or native streaming with the
 * fallback to edits), splitting at the platform's limit, the answer footer, citations and buttons.
 * Platform calls run one after another, so messages appear in the order the parts came; a
 * platform failure is logged and never thrown at the runtime.
 */
export class ReplyRenderer implements Reply {
  private readonly ops: SerialQueue;
  private readonly placeholder: Placeholder;
  private readonly sizer: Sizer;
  private stream: AnswerStream | undefined;
  private readonly jobs = new Map<string, ProgressMessage>();

  constructor(
    private readonly surface: MessageSurface,
    private readonly options: ReplyRendererOptions,
  ) {
    this.ops = new SerialQueue(options.logger);
    this.placeholder = new Placeholder(surface, options.logger);
    const { maxChars, measure } = surface.limits;
    this.sizer = { limit: maxChars, measure: measure ?? ((s: string) => s.length) };
  }

  /** Posts the "Thinking…" placeholder; the first message of the reply takes its place. */
  openPlaceholder(): Promise<void> {
    return this.placeholder.open();
  }

  async write(part: ReplyPart): Promise<void> {
    switch (part.type) {
      case 'status':
        this.answer().setStatus(statusText(part));
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
        return this.post(viewsOf('error', errorMarkdown(part.message, part.ref), this.sizer));
      case 'message':
        return this.post(viewsOf('message', part.markdown, this.sizer, { ephemeral: part.ephemeral }));
      case 'buttons':
        return this.post(viewsOf('prompt', part.markdown, this.sizer, { buttons: part.buttons }));
      case 'progress':
        return this.job(part.progress).update(part.progress);
    }
  }

  async end(): Promise<void> {
    await this.stream?.settle();
    this.stream = undefined;
    for (const job of this.jobs.values()) await job.flush();
    await this.ops.run(async () => {
      await this.placeholder.discard();
      await this.surface.close?.();
    });
  }

  private answer(): AnswerStream {
    this.stream ??= new AnswerStream({
      surface: this.surface,
      ops: this.ops,
      placeholder: this.placeholder,
      sizer: this.sizer,
      links: this.options.links ?? {},
      logger: this.options.logger,
    });
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
      job = new ProgressMessage(this.surface, this.ops, this.placeholder, this.sizer, this.options.logger);
      this.jobs.set(progress.jobId, job);
    }
    return job;
  }

  /** Whole messages; the first one fills the placeholder when it still waits. */
  private post(views: ReplyView[]): Promise<void> {
    return this.ops.run(async () => {
      const live = new LiveMessage(this.surface, this.options.logger);
      const placeholder = views[0]?.ephemeral ? undefined : await this.placeholder.take();
      if (placeholder) live.adopt(placeholder);
      await live.show(views, true);
    });
  }
}

function statusText(part: Extract<AnswerPart, { type: 'status' }>): string {
  return part.queuePosition ? `${part.text} (#${part.queuePosition} in queue)` : part.text;
}
