import type { Citation } from '../../core/answer.js';
import type {
  BotRuntime,
  ChatAdapter,
  ChatContext,
  FileRef,
  IncomingAction,
  IncomingEvent,
  Reply,
  ReplyPart,
} from '../../core/chat.js';
import type { VisibleMessage } from '../contract/chat-adapter.contract.js';

/** One message the adapter shows, as a platform would render it after all updates. */
export interface RenderedMessage extends VisibleMessage {
  kind: 'answer' | 'message' | 'progress' | 'buttons' | 'error';
  ephemeral: boolean;
}

function citationLine(c: Citation): string {
  const where = [c.page !== undefined ? `p.${c.page}` : '', c.section ?? ''].filter(Boolean).join(' ');
  return `[${c.n}] ${c.file}${where ? ` ${where}` : ''}`;
}

/** Records the parts of one event and renders them the way a chat adapter would. */
export class RecordedReply implements Reply {
  readonly parts: ReplyPart[] = [];
  readonly messages: RenderedMessage[] = [];
  ended = false;
  private answer?: RenderedMessage;
  private streamed = '';
  private readonly progress = new Map<string, RenderedMessage>();

  constructor(readonly event: IncomingEvent) {}

  private post(kind: RenderedMessage['kind'], text: string, buttons: string[] = [], ephemeral = false): RenderedMessage {
    const thread = this.event.thread ?? this.event.messageId;
    const msg: RenderedMessage = { kind, channel: this.event.channel, thread, text, buttons, ephemeral };
    this.messages.push(msg);
    return msg;
  }

  private answerMessage(): RenderedMessage {
    this.answer ??= this.post('answer', '');
    return this.answer;
  }

  async write(part: ReplyPart): Promise<void> {
    if (this.ended) throw new Error('write after end');
    this.parts.push(part);
    switch (part.type) {
      case 'status':
        if (!this.streamed) this.answerMessage().text = `_${part.text}_`;
        return;
      case 'text':
        this.streamed += part.text;
        this.answerMessage().text = this.streamed;
        return;
      case 'citation':
        return;
      case 'done': {
        const a = part.answer;
        // Sources are left out on purpose: the contract finds a confirm prompt by its KB name.
        const lines = [a.markdown, ...a.citations.map(citationLine)];
        const msg = this.answerMessage();
        msg.text = lines.join('\n');
        msg.buttons = a.answerId ? [`${a.answerId}:up`, `${a.answerId}:down`] : [];
        return;
      }
      case 'error':
        this.post('error', `⚠️ ${part.message}${part.ref ? ` (ref ${part.ref})` : ''}`);
        return;
      case 'message':
        this.post('message', part.markdown, [], part.ephemeral ?? false);
        return;
      case 'buttons':
        this.post(
          'buttons',
          part.markdown,
          part.buttons.map((b) => b.value),
        );
        return;
      case 'progress': {
        const p = part.progress;
        const text = `${p.kb}: ${p.filesDone}/${p.filesTotal} files, ${p.chunks} chunks, ${p.failed} failed${p.summary ? ` — ${p.summary}` : ''}`;
        const existing = this.progress.get(p.jobId);
        if (existing) existing.text = text;
        else this.progress.set(p.jobId, this.post('progress', text));
        return;
      }
    }
  }

  async end(): Promise<void> {
    this.ended = true;
  }

  /** All rendered text of this reply, joined. */
  text(): string {
    return this.messages.map((m) => m.text).join('\n');
  }
}

export type ContextOverrides = Partial<Omit<ChatContext, 'platform'>>;

/** An attachment from bytes, or one whose download fails. */
export function fileRef(name: string, bytes: Buffer | Error): FileRef {
  return {
    name,
    size: bytes instanceof Buffer ? bytes.length : undefined,
    fetch: async () => {
      if (bytes instanceof Error) throw bytes;
      return bytes;
    },
  };
}

/**
 * An in-memory chat platform: tests deliver events as users would, the runtime answers, and
 * `replies` / `visible()` show what users would see. Delivery acks at once, like real adapters.
 */
export class MemoryAdapter implements ChatAdapter {
  readonly replies: RecordedReply[] = [];
  private runtime?: BotRuntime;
  private seq = 0;
  private lastEvent?: IncomingEvent;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(readonly platform = 'memory') {}

  async start(runtime: BotRuntime): Promise<void> {
    this.runtime = runtime;
  }

  async stop(): Promise<void> {
    await this.idle();
    this.runtime = undefined;
  }

  private context(o: ContextOverrides): ChatContext {
    this.seq++;
    return {
      platform: this.platform,
      workspace: 'W1',
      channel: 'C1',
      user: 'U1',
      isDm: false,
      eventId: `ev-${this.seq}`,
      messageId: `m-${this.seq}`,
      ...o,
    };
  }

  /** Hands the event to the runtime; resolves with the reply once the runtime is done. */
  deliver(event: IncomingEvent): Promise<RecordedReply> {
    if (!this.runtime) throw new Error('adapter not started');
    this.lastEvent = event;
    const reply = new RecordedReply(event);
    this.replies.push(reply);
    const done = this.runtime.handle(event, reply).then(() => reply);
    this.inFlight.add(done);
    void done.finally(() => this.inFlight.delete(done)).catch(() => undefined);
    return done;
  }

  message(text: string, o: ContextOverrides & { attachments?: FileRef[] } = {}): Promise<RecordedReply> {
    const { attachments = [], ...ctx } = o;
    return this.deliver({ ...this.context(ctx), kind: 'message', text, attachments });
  }

  command(text: string, o: ContextOverrides & { attachments?: FileRef[] } = {}): Promise<RecordedReply> {
    const { attachments = [], ...ctx } = o;
    return this.deliver({ ...this.context({ messageId: undefined, ...ctx }), kind: 'command', text, attachments });
  }

  click(action: IncomingAction['action'], value: string, o: ContextOverrides = {}): Promise<RecordedReply> {
    return this.deliver({ ...this.context(o), kind: 'action', action, value });
  }

  /** The last event again, same event id, as a platform retry would send it. */
  redeliverLast(): Promise<RecordedReply> {
    if (!this.lastEvent) throw new Error('nothing delivered yet');
    return this.deliver(this.lastEvent);
  }

  async idle(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  visible(): RenderedMessage[] {
    return this.replies.flatMap((r) => r.messages);
  }
}
