import type { Logger } from 'pino';
import { ButtonCodec } from '../../core/button-codec.js';
import type { BotRuntime, FileRef, IncomingEvent } from '../../core/chat.js';
import type { FeishuApi } from './api.js';
import { readCardAction } from './card-action.js';
import { parseMessageContent } from './content.js';
import { RecentKeys } from './dedupe.js';
import { resourceFileRef } from './files.js';
import { type ReceivedMessage, readMessageEvent } from './message-event.js';
import type { FeishuOptions } from './options.js';
import { type CardKitSwitch, FeishuSurface, type ReplyTarget } from './surface.js';
import { type FeishuEnvelope, MAX_EVENT_AGE_MS } from './types.js';
import { type CollectedUpload, isUploadCommand, UploadWindows } from './uploads.js';

/** Feishu callback values hold the whole token, so no memory of earlier cards is needed. */
const BUTTONS = new ButtonCodec();

export const MESSAGE_RECEIVED = 'im.message.receive_v1';
export const CARD_ACTION = 'card.action.trigger';

/** Immediate answer to a card callback (shown as a toast by the Feishu client). */
export type CallbackResponse = { toast: { type: 'info' | 'success'; content: string } } | undefined;

/**
 * Turns Feishu events from either transport into neutral events for the runtime. `accept` returns
 * at once (the platform is acknowledged before any work); the work continues in the background.
 */
export class FeishuDispatcher {
  private runtime: BotRuntime | undefined;
  private readonly seen = new RecentKeys();
  private readonly dmChats = new RecentKeys(50_000);
  private readonly inFlight = new Set<Promise<void>>();
  private readonly uploads: UploadWindows;
  private readonly cardkit: CardKitSwitch;
  private botId: Promise<string | undefined> | undefined;

  constructor(
    private readonly api: FeishuApi,
    private readonly options: FeishuOptions,
    private readonly logger: Logger,
  ) {
    this.cardkit = { enabled: options.streaming === 'cardkit' };
    this.uploads = new UploadWindows(options.uploadWindowMs, options.uploadSettleMs, (upload) =>
      this.track(() => this.onUpload(upload)),
    );
  }

  attach(runtime: BotRuntime): void {
    this.runtime = runtime;
  }

  get ready(): boolean {
    return this.runtime !== undefined;
  }

  /** The bot's open_id (GET /open-apis/bot/v3/info), fetched once; a failure is retried on the next call. */
  botOpenId(): Promise<string | undefined> {
    this.botId ??= this.api.botOpenId().catch((err) => {
      this.logger.warn({ err: String(err) }, 'feishu: bot info unavailable; treating any @mention as addressed to the bot');
      this.botId = undefined;
      return undefined;
    });
    return this.botId;
  }

  accept(envelope: FeishuEnvelope): CallbackResponse {
    // Like Slack's five-minute rule: an old event is a replay (or hopelessly late), never answered.
    if (envelope.createdAt !== undefined && Date.now() - envelope.createdAt > MAX_EVENT_AGE_MS) {
      this.logger.warn({ eventId: envelope.eventId, createdAt: envelope.createdAt }, 'feishu: stale event refused');
      return undefined;
    }
    if (!this.seen.firstSight(envelope.eventId)) {
      this.logger.debug({ eventId: envelope.eventId }, 'feishu: redelivered event dropped');
      return undefined;
    }
    if (envelope.eventType === MESSAGE_RECEIVED) {
      this.track(() => this.onMessage(envelope));
      return undefined;
    }
    if (envelope.eventType === CARD_ACTION) {
      const action = readCardAction(envelope, (chat) => this.dmChats.has(chat));
      if (!action) return undefined;
      const target = { chatId: action.channel, messageId: action.messageId ?? '', inThread: false };
      this.track(() => this.deliver(action, target, { placeholder: false }));
      return { toast: { type: 'info', content: action.action === 'feedback' ? 'Thanks for the feedback' : 'Received' } };
    }
    this.logger.debug({ eventType: envelope.eventType }, 'feishu: event type not handled');
    return undefined;
  }

  /** Resolves when all work started so far has finished. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  async stop(): Promise<void> {
    this.uploads.flushAll();
    await this.idle();
  }

  /** Runs `work` after the current I/O turn, so the acknowledgement is written before any of it. */
  private track(work: () => Promise<void>): void {
    const tracked = new Promise<void>((resolve) => setImmediate(resolve))
      .then(work)
      .catch((err) => this.logger.error({ err: String(err) }, 'feishu: event handling failed'))
      .finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  private files(messageId: string, received: Pick<ReceivedMessage, 'resources'>): FileRef[] {
    return received.resources.map((r) => resourceFileRef(this.api, messageId, r, this.options.maxFileBytes));
  }

  private inThread(message: ReceivedMessage): boolean {
    return this.options.replyInThread === 'always' || (this.options.replyInThread === 'auto' && message.inThread);
  }

  private async onMessage(envelope: FeishuEnvelope): Promise<void> {
    const message = readMessageEvent(envelope, await this.botOpenId());
    if (!message) return;
    const { context } = message;
    if (context.isDm) this.dmChats.firstSight(context.channel);
    const messageId = context.messageId as string;
    const own = this.files(messageId, message);
    const attachmentOnly = message.text === '' && own.length > 0;
    if (attachmentOnly && this.uploads.offer(context.channel, context.user, message.parentId, context.eventId, own)) return;
    if (!message.addressed && message.command === undefined) return;

    const attachments = [...own, ...(message.parentId ? await this.parentFiles(message.parentId) : [])];
    const target: ReplyTarget = { chatId: context.channel, messageId, inThread: this.inThread(message) };
    if (message.command === undefined) {
      if (message.text === '' && attachments.length === 0) return;
      await this.deliver({ ...context, kind: 'message', text: message.text, attachments }, target);
      return;
    }
    if (isUploadCommand(message.command) && attachments.length === 0) {
      await this.openUploadWindow(message, target);
      return;
    }
    await this.deliver({ ...context, kind: 'command', text: message.command, attachments }, target);
  }

  /** Files of the message this one replies to ("@bot summarise this" sent as a reply to a file). */
  private async parentFiles(parentId: string): Promise<FileRef[]> {
    try {
      const parent = await this.api.getMessage(parentId);
      if (!parent || parent.senderType === 'app') return [];
      const content = parseMessageContent(parent.msgType, parent.content, () => undefined, []);
      return this.files(parent.messageId, content);
    } catch (err) {
      this.logger.warn({ err: String(err), parentId }, 'feishu: could not read the replied-to message');
      return [];
    }
  }

  private async openUploadWindow(message: ReceivedMessage, target: ReplyTarget): Promise<void> {
    const window = this.uploads.open(message.context, message.command as string, target.inThread);
    const minutes = Math.round(this.options.uploadWindowMs / 60_000);
    const kb = (message.command as string).replace(/^upload\s*/i, '') || 'the knowledge base';
    const hint = `Send the file(s) for **${kb}** now: files you send in this chat in the next ${minutes} min (or as replies to your command) are added.`;
    const reply = this.runtime?.replyOn(this.surfaceFor(target));
    await reply?.write({ type: 'message', markdown: hint });
    await reply?.end();
    this.logger.debug({ chat: window.context.channel }, 'feishu: upload window opened');
  }

  private async onUpload(upload: CollectedUpload): Promise<void> {
    const { window } = upload;
    const event: IncomingEvent = {
      ...window.context,
      eventId: upload.eventId,
      kind: 'command',
      text: window.command,
      attachments: upload.files,
    };
    await this.deliver(event, {
      chatId: window.context.channel,
      messageId: window.context.messageId as string,
      inThread: window.inThread,
    });
  }

  private surfaceFor(target: ReplyTarget): FeishuSurface {
    const { api, logger, cardkit } = this;
    return new FeishuSurface({ api, logger, cardkit, intervalMs: this.options.updateIntervalMs, codec: BUTTONS }, target);
  }

  /**
   * Hands the event to the runtime. Messages and commands first get a placeholder card, so the
   * user sees the bot took the question even while it waits in the model queue; button clicks
   * are acknowledged by a toast instead.
   */
  private async deliver(event: IncomingEvent, target: ReplyTarget, o = { placeholder: true }): Promise<void> {
    const runtime = this.runtime;
    if (!runtime) return;
    if (!target.messageId) {
      this.logger.warn({ eventId: event.eventId }, 'feishu: event without a message to answer');
      return;
    }
    // A replay the runtime already handled (even before a restart) gets no "Answering…" card.
    if (runtime.accept && !runtime.accept(event)) return;
    const reply = runtime.replyOn(this.surfaceFor(target));
    if (o.placeholder) await reply.openPlaceholder();
    await runtime.handle(event, reply);
  }
}
