import type { Logger } from 'pino';
import type { ButtonCodec } from '../../core/button-codec.js';
import type {
  EditOptions,
  MessageRef,
  MessageSurface,
  ReplyView,
  StreamHandle,
  SurfaceLimits,
} from '../../core/message-surface.js';
import type { FeishuApi } from './api.js';
import { FeishuApiError } from './api-error.js';
import { ANSWER_ELEMENT, CARD_MARKDOWN_BYTES, type Card, streamingCard, viewCard } from './cards.js';
import { toCardMarkdown, utf8Length } from './markdown.js';

export interface ReplyTarget {
  chatId: string;
  /** The message the bot answers (a question, a command, a clicked card). */
  messageId: string;
  inThread: boolean;
}

/** Whether CardKit works for this app; turned off after the first refusal so we stop trying. */
export interface CardKitSwitch {
  enabled: boolean;
}

export interface FeishuSurfaceDeps {
  api: FeishuApi;
  logger: Logger;
  intervalMs: number;
  cardkit: CardKitSwitch;
  codec: ButtonCodec;
}

/** A card message; a CardKit card entity also has its id and the sequence its updates must increase. */
interface CardRef extends MessageRef {
  id: string;
  entity?: { cardId: string; sequence: number };
}

/**
 * Feishu as a message surface: views become JSON 2.0 cards, replies to the asking message
 * (or messages in the chat once that one is gone). With CardKit an answer streams into one card
 * entity (increasing sequence); without it, cards are patched.
 */
export class FeishuSurface implements MessageSurface {
  readonly limits: SurfaceLimits;
  readonly stream?: MessageSurface['stream'];

  constructor(
    private readonly d: FeishuSurfaceDeps,
    private readonly target: ReplyTarget,
  ) {
    this.limits = {
      maxChars: CARD_MARKDOWN_BYTES,
      measure: (markdown) => utf8Length(toCardMarkdown(markdown)),
      editIntervalMs: d.intervalMs,
    };
    if (d.cardkit.enabled) this.stream = { start: (into) => this.startStream(into as CardRef | undefined) };
  }

  /** A placeholder becomes a CardKit entity where possible, so the answer can stream into it. */
  async post(view: ReplyView): Promise<CardRef> {
    if (view.kind === 'placeholder' && this.d.cardkit.enabled) {
      const entity = await this.createEntity(view.markdown);
      if (entity) return entity;
    }
    return { id: await this.deliver(viewCard(view, this.d.codec)) };
  }

  async edit(ref: CardRef, view: ReplyView, options: EditOptions): Promise<void> {
    const { api } = this.d;
    if (!ref.entity) return api.patchCard(ref.id, viewCard(view, this.d.codec), options.final ? api.mustDeliver : api.bestEffort);
    if (!options.final) {
      const content = toCardMarkdown(view.markdown);
      return api.streamElement(ref.entity.cardId, ANSWER_ELEMENT, content, ++ref.entity.sequence, api.bestEffort);
    }
    await this.replaceEntity(ref.entity, viewCard(view, this.d.codec));
  }

  async remove(ref: CardRef): Promise<void> {
    await this.d.api.deleteMessage(ref.id);
  }

  private async startStream(into: CardRef | undefined): Promise<StreamHandle> {
    // A placeholder posted as a plain card (CardKit refused meanwhile) is patched rather than replaced.
    const ref = into ? into : this.d.cardkit.enabled ? await this.createEntity('') : undefined;
    if (!ref?.entity) throw new Error('feishu: this answer streams by message patch (no CardKit card)');
    const entity = ref.entity;
    let text = '';
    const { api } = this.d;
    return {
      ref,
      // CardKit takes the element's whole content and types out what is new.
      append: (piece) => {
        text += piece;
        return api.streamElement(entity.cardId, ANSWER_ELEMENT, toCardMarkdown(text), ++entity.sequence, api.bestEffort);
      },
      stop: (view) => this.replaceEntity(entity, viewCard(view, this.d.codec)),
    };
  }

  private async replaceEntity(entity: NonNullable<CardRef['entity']>, card: Card): Promise<void> {
    const summary = String((card.config.summary as { content?: string } | undefined)?.content ?? '');
    await this.d.api.finishStreaming(entity.cardId, ++entity.sequence, summary);
    await this.d.api.updateCardEntity(entity.cardId, card, ++entity.sequence);
  }

  /** Posts a CardKit card; undefined when CardKit refuses (a permanent refusal turns it off). */
  private async createEntity(markdown: string): Promise<CardRef | undefined> {
    let cardId: string;
    try {
      cardId = await this.d.api.createCardEntity(streamingCard(markdown));
    } catch (err) {
      if (!(err instanceof FeishuApiError && err.transient)) this.d.cardkit.enabled = false;
      this.d.logger.warn(
        { err: String(err) },
        'feishu: CardKit card not created (scope cardkit:card:write?), streaming by message patch',
      );
      return undefined;
    }
    const id = await this.deliver({ type: 'card', data: { card_id: cardId } });
    return { id, entity: { cardId, sequence: 0 } };
  }

  /** A reply to the target message; when that message is gone (recalled), a message in the chat. */
  private async deliver(content: unknown): Promise<string> {
    try {
      return await this.d.api.replyCard(this.target.messageId, content, this.target.inThread);
    } catch (err) {
      if (err instanceof FeishuApiError && err.transient) throw err;
      this.d.logger.warn({ err: String(err) }, 'feishu: reply refused, posting into the chat instead');
      return this.d.api.sendCard(this.target.chatId, content);
    }
  }
}
