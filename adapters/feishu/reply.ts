import type { Logger } from 'pino';
import type { AnswerPart, Citation } from '../../core/answer.js';
import type { JobProgressView, Reply, ReplyPart } from '../../core/chat.js';
import type { FeishuApi } from './api.js';
import { FeishuApiError } from './api-error.js';
import {
  answerCards,
  buttonsCard,
  CARD_MARKDOWN_BYTES,
  type Card,
  errorCards,
  errorMarkdown,
  markdownCards,
  progressMarkdown,
} from './cards.js';
import { splitMarkdown } from './markdown.js';
import {
  type CardKitSwitch,
  type CardReference,
  openAnswerSurface,
  PatchSurface,
  type Surface,
  type SurfaceDeps,
} from './surface.js';

export interface ReplyTarget {
  chatId: string;
  /** The message the bot answers (a question, a command, a clicked card). */
  messageId: string;
  inThread: boolean;
}

export interface ReplyDeps {
  api: FeishuApi;
  logger: Logger;
  intervalMs: number;
  cardkit: CardKitSwitch;
}

function statusLine(part: Extract<AnswerPart, { type: 'status' }>): string {
  return part.queuePosition ? `${part.text} (#${part.queuePosition} in queue)` : part.text;
}

/** What a placeholder shows until the runtime writes something. */
export const PLACEHOLDER = '_Working on it…_';

/**
 * Renders the runtime's parts for one incoming event. `prepare` posts a placeholder card right
 * away; the first thing the runtime writes takes it over (the answer streams into it, a message
 * or prompt replaces it) and it is deleted when nothing was written. Further messages become
 * reply cards; a job's progress updates one card. Never throws at the runtime: failures are logged.
 */
export class FeishuReply implements Reply {
  private readonly surfaceDeps: SurfaceDeps;
  private placeholder: Promise<Surface | undefined> | undefined;
  private answer: Promise<Surface | undefined> | undefined;
  private answered = false;
  private text = '';
  private status = '';
  private readonly citations: Citation[] = [];
  private progress: Promise<Surface | undefined> | undefined;
  private progressDone = false;

  constructor(
    private readonly deps: ReplyDeps,
    private readonly target: ReplyTarget,
  ) {
    this.surfaceDeps = {
      api: deps.api,
      logger: deps.logger,
      intervalMs: deps.intervalMs,
      replyTo: target.messageId,
      inThread: target.inThread,
      deliver: (content) => this.deliver(content),
    };
  }

  /** Posts the placeholder (the user sees at once that the bot is on it). */
  async prepare(): Promise<void> {
    this.placeholder = this.open(() => openAnswerSurface(this.surfaceDeps, PLACEHOLDER, this.deps.cardkit), 'placeholder');
    await this.placeholder;
  }

  async write(part: ReplyPart): Promise<void> {
    try {
      await this.apply(part);
    } catch (err) {
      this.deps.logger.error(
        { err: String(err), part: part.type, chat: this.target.chatId },
        'feishu: could not show a reply part',
      );
    }
  }

  async end(): Promise<void> {
    try {
      // The stream stopped without `done` or `error`: keep what was written.
      if (this.answer && !this.answered) await this.finishAnswer(markdownCards(this.text || this.status || '…'));
      const unused = await this.claim();
      if (unused) await this.deps.api.deleteMessage(unused.messageId);
    } catch (err) {
      this.deps.logger.error({ err: String(err), chat: this.target.chatId }, 'feishu: could not finish the reply');
    }
  }

  private async apply(part: ReplyPart): Promise<void> {
    switch (part.type) {
      case 'status':
        this.status = statusLine(part);
        if (!this.text) await this.showAnswer();
        return;
      case 'text':
        this.text += part.text;
        await this.showAnswer();
        return;
      case 'citation':
        this.citations.push(part.citation);
        return;
      case 'done': {
        const known = new Set(part.answer.citations.map((c) => c.n));
        const citations = [...part.answer.citations, ...this.citations.filter((c) => !known.has(c.n))];
        await this.finishAnswer(answerCards(part.answer, citations));
        return;
      }
      case 'error':
        if (this.answer && !this.answered) await this.finishAnswer(errorCards(this.text, part.message, part.ref));
        else await this.post(markdownCards(errorMarkdown(part.message, part.ref)));
        return;
      case 'message':
        // Feishu has no ephemeral replies in threads; ephemeral messages are normal replies.
        await this.post(markdownCards(part.markdown));
        return;
      case 'buttons':
        await this.post([buttonsCard(part.markdown, part.buttons)]);
        return;
      case 'progress':
        await this.showProgress(part.progress);
        return;
    }
  }

  private open(opening: () => Promise<Surface>, what: string): Promise<Surface | undefined> {
    return opening().catch((err) => {
      this.deps.logger.warn({ err: String(err) }, `feishu: could not post the ${what}`);
      return undefined;
    });
  }

  /** The placeholder, once: whoever claims it shows their content in it. */
  private claim(): Promise<Surface | undefined> {
    const placeholder = this.placeholder ?? Promise.resolve(undefined);
    this.placeholder = undefined;
    return placeholder;
  }

  /** What the answer card shows while streaming: the text so far (first card's worth), else the status. */
  private streamView(): string {
    if (!this.text) return `_${this.status || 'Thinking…'}_`;
    const pieces = splitMarkdown(this.text, CARD_MARKDOWN_BYTES);
    return pieces.length > 1 ? `${pieces[0]}\n…` : this.text;
  }

  private async showAnswer(): Promise<void> {
    if (this.answered) return;
    if (!this.answer) {
      const view = this.streamView();
      const claimed = this.placeholder ? this.claim() : undefined;
      this.answer = claimed ?? this.open(() => openAnswerSurface(this.surfaceDeps, view, this.deps.cardkit), 'answer');
      const surface = await this.answer;
      if (claimed) surface?.offer(view);
      return;
    }
    (await this.answer)?.offer(() => this.streamView());
  }

  private async finishAnswer(cards: Card[]): Promise<void> {
    this.answered = true;
    const surface = this.answer ? await this.answer : undefined;
    if (surface) await surface.finish(cards);
    else await this.post(cards);
  }

  private async showProgress(progress: JobProgressView): Promise<void> {
    const markdown = progressMarkdown(progress);
    const final = progress.summary !== undefined;
    if (!this.progress || this.progressDone) {
      this.progressDone = final;
      if (final) return this.post(markdownCards(markdown));
      const claimed = this.placeholder ? this.claim() : undefined;
      this.progress = claimed ?? this.open(() => PatchSurface.open(this.surfaceDeps, markdown), 'progress message');
      const surface = await this.progress;
      if (claimed) surface?.offer(markdown);
      return;
    }
    const surface = await this.progress;
    if (final) {
      this.progressDone = true;
      if (surface) await surface.finish(markdownCards(markdown));
      else await this.post(markdownCards(markdown));
      return;
    }
    surface?.offer(markdown);
  }

  private async post(cards: Card[]): Promise<void> {
    const placeholder = this.placeholder ? await this.claim() : undefined;
    if (placeholder) return placeholder.finish(cards);
    for (const card of cards) await this.deliver(card);
  }

  /** A reply to the target message; when that message is gone (recalled), a message in the chat. */
  private async deliver(content: Card | CardReference): Promise<string> {
    try {
      return await this.deps.api.replyCard(this.target.messageId, content, this.target.inThread);
    } catch (err) {
      if (err instanceof FeishuApiError && err.transient) throw err;
      this.deps.logger.warn({ err: String(err) }, 'feishu: reply refused, posting into the chat instead');
      return this.deps.api.sendCard(this.target.chatId, content);
    }
  }
}
