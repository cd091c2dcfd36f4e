import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type * as lark from '@larksuiteoapi/node-sdk';
import { codeError } from './api-error.js';
import { type RetryPolicy, withRetry } from './retry.js';
import type { FetchedMessage } from './types.js';

type Body = { code?: number; msg?: string };

function ok<T extends Body>(what: string, body: T): T {
  if (body.code !== undefined && body.code !== 0) throw codeError(what, body);
  return body;
}

export interface Download {
  stream: Readable;
  headers: Record<string, unknown>;
}

/**
 * The Open API calls the adapter makes, through the official SDK client (token handling,
 * domain). Every call checks Feishu's `code` and goes through the retry policy it is given.
 */
export class FeishuApi {
  constructor(
    private readonly client: lark.Client,
    /** Policy for calls whose loss the user would see (replies, final updates). */
    readonly mustDeliver: RetryPolicy,
  ) {}

  /** Intermediate stream updates are superseded by the next one: one attempt, no waiting. */
  readonly bestEffort: RetryPolicy = { budgetMs: 0, transientRetries: 0 };

  async botOpenId(): Promise<string | undefined> {
    const body = await withRetry(
      'bot info',
      async () =>
        ok(
          'bot info',
          await this.client.request<Body & { bot?: { open_id?: string } }>({ method: 'GET', url: '/open-apis/bot/v3/info' }),
        ),
      this.mustDeliver,
    );
    return body.bot?.open_id || undefined;
  }

  /** Replies to `messageId` with an interactive card (JSON or a card entity reference). Returns the new message id. */
  async replyCard(messageId: string, content: unknown, replyInThread: boolean): Promise<string> {
    // One idempotency key for all attempts, so a retried reply never posts twice.
    const uuid = randomUUID();
    const body = await withRetry(
      'reply',
      async () =>
        ok(
          'reply',
          await this.client.im.v1.message.reply({
            path: { message_id: messageId },
            data: { content: JSON.stringify(content), msg_type: 'interactive', reply_in_thread: replyInThread, uuid },
          }),
        ),
      this.mustDeliver,
    );
    const id = body.data?.message_id;
    if (!id) throw codeError('reply', { code: -1, msg: 'no message_id in the response' });
    return id;
  }

  /** Posts a card to a chat (used when the message to reply to is gone). */
  async sendCard(chatId: string, card: unknown): Promise<string> {
    const uuid = randomUUID();
    const body = await withRetry(
      'send',
      async () =>
        ok(
          'send',
          await this.client.im.v1.message.create({
            params: { receive_id_type: 'chat_id' },
            data: { receive_id: chatId, content: JSON.stringify(card), msg_type: 'interactive', uuid },
          }),
        ),
      this.mustDeliver,
    );
    const id = body.data?.message_id;
    if (!id) throw codeError('send', { code: -1, msg: 'no message_id in the response' });
    return id;
  }

  async deleteMessage(messageId: string): Promise<void> {
    await withRetry(
      'message delete',
      async () => ok('message delete', await this.client.im.v1.message.delete({ path: { message_id: messageId } })),
      this.mustDeliver,
    );
  }

  async patchCard(messageId: string, card: unknown, policy: RetryPolicy): Promise<void> {
    await withRetry(
      'message patch',
      async () =>
        ok(
          'message patch',
          await this.client.im.v1.message.patch({ path: { message_id: messageId }, data: { content: JSON.stringify(card) } }),
        ),
      policy,
    );
  }

  async createCardEntity(card: unknown): Promise<string> {
    const body = await withRetry(
      'card create',
      async () =>
        ok('card create', await this.client.cardkit.v1.card.create({ data: { type: 'card_json', data: JSON.stringify(card) } })),
      this.mustDeliver,
    );
    const id = body.data?.card_id;
    if (!id) throw codeError('card create', { code: -1, msg: 'no card_id in the response' });
    return id;
  }

  async streamElement(cardId: string, elementId: string, content: string, sequence: number, policy: RetryPolicy): Promise<void> {
    await withRetry(
      'card element content',
      async () =>
        ok(
          'card element content',
          await this.client.cardkit.v1.cardElement.content({
            path: { card_id: cardId, element_id: elementId },
            data: { content, sequence, uuid: `c_${cardId}_${sequence}` },
          }),
        ),
      policy,
    );
  }

  async finishStreaming(cardId: string, sequence: number, summary: string): Promise<void> {
    const settings = JSON.stringify({ config: { streaming_mode: false, summary: { content: summary } } });
    await withRetry(
      'card settings',
      async () =>
        ok(
          'card settings',
          await this.client.cardkit.v1.card.settings({
            path: { card_id: cardId },
            data: { settings, sequence, uuid: `s_${cardId}_${sequence}` },
          }),
        ),
      this.mustDeliver,
    );
  }

  async updateCardEntity(cardId: string, card: unknown, sequence: number): Promise<void> {
    await withRetry(
      'card update',
      async () =>
        ok(
          'card update',
          await this.client.cardkit.v1.card.update({
            path: { card_id: cardId },
            data: { card: { type: 'card_json', data: JSON.stringify(card) }, sequence, uuid: `u_${cardId}_${sequence}` },
          }),
        ),
      this.mustDeliver,
    );
  }

  async getMessage(messageId: string): Promise<FetchedMessage | undefined> {
    const body = await withRetry(
      'message get',
      async () => ok('message get', await this.client.im.v1.message.get({ path: { message_id: messageId } })),
      this.mustDeliver,
    );
    const item = body.data?.items?.[0];
    if (!item?.msg_type || !item.body?.content) return undefined;
    return {
      messageId: item.message_id ?? messageId,
      msgType: item.msg_type,
      content: item.body.content,
      senderType: item.sender?.sender_type,
    };
  }

  /** Opens the download of a file or image inside a message (GET .../messages/:id/resources/:key?type=). */
  async openResource(messageId: string, fileKey: string, type: 'file' | 'image'): Promise<Download> {
    return withRetry(
      'resource download',
      async () => {
        const res = await this.client.im.v1.messageResource.get({
          path: { message_id: messageId, file_key: fileKey },
          params: { type },
        });
        return { stream: res.getReadableStream(), headers: (res.headers ?? {}) as Record<string, unknown> };
      },
      this.mustDeliver,
    );
  }
}
