import type { Logger } from 'pino';
import type { JobProgressView, Reply, ReplyPart } from '../../core/chat.js';
import { AnswerStream, type StreamSettings } from './answer-stream.js';
import { LiveMessage } from './live-message.js';
import type { SlackOutbox } from './outbox.js';
import { buttonsMessage, errorMessage, markdownMessages, progressMessage, type SlackMessage } from './render.js';

/**
 * Renders the runtime's parts for one incoming event. Answers stream into a thread message;
 * command results marked ephemeral, prompts from slash commands and feedback acknowledgements are
 * shown only to the user; a confirm/cancel click's result replaces the prompt.
 */
export class SlackReply implements Reply {
  private answer: AnswerStream | undefined;
  private readonly progress = new Map<string, LiveMessage>();
  private replacedPrompt = false;

  constructor(
    private readonly outbox: SlackOutbox,
    private readonly settings: StreamSettings,
    private readonly logger: Logger,
  ) {}

  async write(part: ReplyPart): Promise<void> {
    try {
      await this.render(part);
    } catch (err) {
      // A platform failure must not abort the runtime's work; it is logged and the next part tried.
      this.logger.error({ err, part: part.type }, 'slack: could not render a reply part');
    }
  }

  async end(): Promise<void> {
    try {
      await this.answer?.close();
    } catch (err) {
      this.logger.error({ err }, 'slack: could not close an answer');
    }
    await Promise.all([...this.progress.values()].map((live) => live.settle()));
  }

  private async render(part: ReplyPart): Promise<void> {
    switch (part.type) {
      case 'status':
        this.stream().setStatus(part.text);
        return;
      case 'text':
        this.stream().append(part.text);
        return;
      case 'citation':
        this.stream().cite(part.citation);
        return;
      case 'done':
        await this.stream().done(part.answer);
        return;
      case 'error':
        if (this.answer && !this.answer.isClosed) await this.answer.fail(part.message, part.ref);
        else await this.say(errorMessage(part.message, part.ref), this.outbox.target.origin !== 'message');
        return;
      case 'message':
        for (const msg of markdownMessages(part.markdown, this.settings.maxMessageChars))
          await this.say(msg, part.ephemeral === true);
        return;
      case 'buttons':
        await this.say(buttonsMessage(part.markdown, part.buttons), this.outbox.target.origin === 'command');
        return;
      case 'progress':
        await this.showProgress(part.progress);
        return;
    }
  }

  private stream(): AnswerStream {
    if (!this.answer || this.answer.isClosed) this.answer = new AnswerStream(this.outbox, this.settings, this.logger);
    return this.answer;
  }

  private async say(msg: SlackMessage, ephemeral: boolean): Promise<void> {
    const { origin, action } = this.outbox.target;
    if (origin === 'action' && action !== 'feedback' && !this.replacedPrompt) {
      this.replacedPrompt = true;
      if (await this.outbox.replaceOriginal(msg)) return;
    }
    if (ephemeral || (origin === 'action' && action === 'feedback')) await this.outbox.ephemeral(msg);
    else await this.outbox.post(msg);
  }

  private async showProgress(view: JobProgressView): Promise<void> {
    let live = this.progress.get(view.jobId);
    if (!live) {
      live = new LiveMessage(this.outbox, this.settings.updateIntervalMs, this.logger);
      this.progress.set(view.jobId, live);
    }
    const msg = progressMessage(view, this.settings.maxMessageChars);
    if (view.summary === undefined) live.show(msg);
    else {
      this.progress.delete(view.jobId);
      await live.finish(msg);
    }
  }
}
