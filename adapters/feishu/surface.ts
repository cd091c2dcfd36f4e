import type { Logger } from 'pino';
import type { FeishuApi } from './api.js';
import { FeishuApiError } from './api-error.js';
import { ANSWER_ELEMENT, type Card, markdownCard, streamingCard } from './cards.js';
import { toCardMarkdown } from './markdown.js';
import { CoalescingUpdater } from './throttle.js';

export interface SurfaceDeps {
  api: FeishuApi;
  logger: Logger;
  intervalMs: number;
  /** The message we answer (replies attach to it). */
  replyTo: string;
  inThread: boolean;
  /** Posts a card as a new reply (or into the chat when the message to reply to is gone). */
  deliver(content: Card | CardReference): Promise<string>;
}

/** Message content that shows a CardKit card entity. */
export interface CardReference {
  type: 'card';
  data: { card_id: string };
}

/** One bot message that is updated in place (a streamed answer, a job's progress). */
export abstract class Surface {
  protected readonly updater: CoalescingUpdater<() => string>;

  protected constructor(protected readonly deps: SurfaceDeps) {
    this.updater = new CoalescingUpdater(
      (view) => this.send(view()),
      deps.intervalMs,
      (err) => deps.logger.debug({ err: String(err) }, 'feishu: intermediate card update skipped'),
    );
    this.updater.markSent();
  }

  abstract readonly messageId: string;
  protected abstract send(markdown: string): Promise<void>;
  protected abstract replaceWith(card: Card): Promise<void>;

  /**
   * Shows this markdown soon (throttled; a newer offer replaces an unsent one). A function is
   * only called when the update is actually sent, so per-token offers stay cheap.
   */
  offer(markdown: string | (() => string)): void {
    this.updater.offer(typeof markdown === 'string' ? () => markdown : markdown);
  }

  /**
   * The final state: the message becomes `cards[0]`, further cards follow as replies. When the
   * in-place update cannot be made, the card is posted as a new reply instead of being lost.
   */
  async finish(cards: Card[]): Promise<void> {
    await this.updater.close();
    const [first, ...rest] = cards;
    if (first) {
      try {
        await this.replaceWith(first);
      } catch (err) {
        this.deps.logger.warn({ err: String(err) }, 'feishu: final card update failed, posting the answer as a new reply');
        await this.deps.deliver(first);
      }
    }
    for (const next of rest) await this.deps.deliver(next);
  }
}

/** Updates by PATCHing the whole card message (im/v1/messages/:id). */
export class PatchSurface extends Surface {
  private constructor(
    deps: SurfaceDeps,
    readonly messageId: string,
  ) {
    super(deps);
  }

  static async open(deps: SurfaceDeps, markdown: string): Promise<PatchSurface> {
    return new PatchSurface(deps, await deps.deliver(markdownCard(markdown)));
  }

  protected send(markdown: string): Promise<void> {
    return this.deps.api.patchCard(this.messageId, markdownCard(markdown), this.deps.api.bestEffort);
  }

  protected replaceWith(card: Card): Promise<void> {
    return this.deps.api.patchCard(this.messageId, card, this.deps.api.mustDeliver);
  }
}

/** CardKit card entity: text streams into one element with an increasing sequence. */
export class CardKitSurface extends Surface {
  private sequence = 0;

  private constructor(
    deps: SurfaceDeps,
    private readonly cardId: string,
    readonly messageId: string,
  ) {
    super(deps);
  }

  static async open(deps: SurfaceDeps, cardId: string): Promise<CardKitSurface> {
    const messageId = await deps.deliver({ type: 'card', data: { card_id: cardId } });
    return new CardKitSurface(deps, cardId, messageId);
  }

  protected send(markdown: string): Promise<void> {
    return this.deps.api.streamElement(
      this.cardId,
      ANSWER_ELEMENT,
      toCardMarkdown(markdown),
      ++this.sequence,
      this.deps.api.bestEffort,
    );
  }

  protected async replaceWith(card: Card): Promise<void> {
    const summary = String((card.config.summary as { content?: string } | undefined)?.content ?? '');
    await this.deps.api.finishStreaming(this.cardId, ++this.sequence, summary);
    await this.deps.api.updateCardEntity(this.cardId, card, ++this.sequence);
  }
}

/** Whether CardKit works for this app; turned off after the first refusal so we stop trying. */
export interface CardKitSwitch {
  enabled: boolean;
}

/** Posts the first view of a streamed answer: a CardKit entity when possible, else a patchable card. */
export async function openAnswerSurface(deps: SurfaceDeps, markdown: string, cardkit: CardKitSwitch): Promise<Surface> {
  if (cardkit.enabled) {
    let cardId: string | undefined;
    try {
      cardId = await deps.api.createCardEntity(streamingCard(toCardMarkdown(markdown)));
    } catch (err) {
      // A refusal (no scope, not supported on this deployment) is permanent; a rate limit is not.
      if (!(err instanceof FeishuApiError && err.transient)) cardkit.enabled = false;
      deps.logger.warn(
        { err: String(err) },
        'feishu: CardKit card not created (scope cardkit:card:write?), streaming by message patch',
      );
    }
    if (cardId) return CardKitSurface.open(deps, cardId);
  }
  return PatchSurface.open(deps, markdown);
}
