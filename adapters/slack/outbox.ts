import { setTimeout as sleep } from 'node:timers/promises';
import type { webApi } from '@slack/bolt';
import type { IncomingAction } from '../../core/chat.js';
import type { Block, SlackMessage } from './render.js';

/** Where the replies to one incoming event go. */
export interface ReplyTarget {
  origin: 'message' | 'command' | 'action';
  channel: string;
  /** Thread to answer in; undefined answers at the top level (DMs, slash commands). */
  threadTs?: string;
  user: string;
  /** Workspace of the user, for native streams in channels. */
  team?: string;
  /** response_url of a slash command or button click. */
  responseUrl?: string;
  action?: IncomingAction['action'];
}

export type ApiMessageRef = { via: 'api'; channel: string; ts: string };
export type MessageRef = ApiMessageRef | { via: 'response_url'; url: string } | { via: 'ephemeral' };

const MAX_RESPONSE_URL_ATTEMPTS = 4;

/**
 * Posts, updates and whispers for one target. Web API calls go through the WebClient (which waits
 * out 429 Retry-After and retries); response_url posts honour Retry-After themselves.
 */
export class SlackOutbox {
  /** The bot is not a member of the channel: visible replies go through response_url. */
  private channelClosed = false;

  constructor(
    private readonly client: webApi.WebClient,
    readonly target: ReplyTarget,
    private readonly resolveUrl: (url: string) => string | undefined,
  ) {}

  async post(msg: SlackMessage): Promise<MessageRef> {
    return withoutBlocksIfRefused(msg, (m) => this.postOnce(m));
  }

  async update(ref: MessageRef, msg: SlackMessage): Promise<void> {
    await withoutBlocksIfRefused(msg, (m) => this.updateOnce(ref, m));
  }

  /** Deletes a message the bot posted (ephemeral and response_url messages cannot be). */
  async remove(ref: MessageRef): Promise<void> {
    if (ref.via === 'api') await this.client.chat.delete({ channel: ref.channel, ts: ref.ts });
  }

  private async postOnce(msg: SlackMessage): Promise<MessageRef> {
    const { channel, threadTs, responseUrl } = this.target;
    if (!this.channelClosed || !responseUrl) {
      try {
        const res = await this.client.chat.postMessage({
          channel,
          text: msg.text,
          ...(msg.blocks ? { blocks: msg.blocks } : {}),
          ...(threadTs ? { thread_ts: threadTs } : {}),
          unfurl_links: false,
          unfurl_media: false,
        });
        return { via: 'api', channel: res.channel ?? channel, ts: String(res.ts) };
      } catch (err) {
        if (!responseUrl || !isNotInChannel(err)) throw err;
        this.channelClosed = true;
      }
    }
    await this.respond(responseUrl, { ...msg, response_type: 'in_channel', replace_original: false });
    return { via: 'response_url', url: responseUrl };
  }

  private async updateOnce(ref: MessageRef, msg: SlackMessage): Promise<void> {
    if (ref.via === 'ephemeral') return;
    if (ref.via === 'response_url') {
      await this.respond(ref.url, { ...msg, response_type: 'in_channel', replace_original: true });
      return;
    }
    await this.client.chat.update({
      channel: ref.channel,
      ts: ref.ts,
      text: msg.text,
      ...(msg.blocks ? { blocks: msg.blocks } : {}),
    });
  }

  /** Opens a native streamed reply (chat.startStream) in the target's thread, empty until appended to. */
  async startStream(): Promise<ApiMessageRef> {
    const { channel, threadTs, user, team } = this.target;
    const res = await this.client.chat.startStream({
      channel,
      thread_ts: threadTs ?? '',
      recipient_user_id: user,
      ...(team ? { recipient_team_id: team } : {}),
    });
    return { via: 'api', channel: res.channel ?? channel, ts: String(res.ts) };
  }

  async appendStream(ref: ApiMessageRef, markdown: string): Promise<void> {
    await this.client.chat.appendStream({ channel: ref.channel, ts: ref.ts, markdown_text: markdown });
  }

  /** Ends a native stream; `blocks` are shown below the streamed text. */
  async stopStream(ref: ApiMessageRef, o: { markdown?: string; blocks?: Block[] } = {}): Promise<void> {
    await this.client.chat.stopStream({
      channel: ref.channel,
      ts: ref.ts,
      ...(o.markdown ? { markdown_text: o.markdown } : {}),
      ...(o.blocks ? { blocks: o.blocks } : {}),
    });
  }

  /** Shown only to the user who asked. */
  async ephemeral(msg: SlackMessage, replaceOriginal = false): Promise<void> {
    const { channel, threadTs, user, responseUrl } = this.target;
    if (responseUrl) {
      await this.respond(responseUrl, { ...msg, response_type: 'ephemeral', replace_original: replaceOriginal });
      return;
    }
    await this.client.chat.postEphemeral({
      channel,
      user,
      text: msg.text,
      ...(msg.blocks ? { blocks: msg.blocks } : {}),
      ...(threadTs ? { thread_ts: threadTs } : {}),
    });
  }

  /** Replaces the message whose button was clicked; false when there is no response_url. */
  async replaceOriginal(msg: SlackMessage): Promise<boolean> {
    if (!this.target.responseUrl) return false;
    await this.respond(this.target.responseUrl, { ...msg, replace_original: true });
    return true;
  }

  private async respond(responseUrl: string, payload: Record<string, unknown>): Promise<void> {
    const url = this.resolveUrl(responseUrl);
    if (!url) throw new Error(`refusing to post to a non-Slack response_url (${new URL(responseUrl).host})`);
    for (let attempt = 1; ; attempt += 1) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify(payload),
      });
      const body = await res.text();
      if (res.ok) return;
      if (res.status !== 429 || attempt >= MAX_RESPONSE_URL_ATTEMPTS) {
        throw new Error(`response_url answered HTTP ${res.status}: ${body.slice(0, 200)}`);
      }
      const retryAfter = Number.parseInt(res.headers.get('retry-after') ?? '1', 10);
      await sleep(Math.min(60, Number.isFinite(retryAfter) ? Math.max(0, retryAfter) : 1) * 1000);
    }
  }
}

export function platformError(err: unknown): string | undefined {
  return (err as { data?: { error?: string } } | undefined)?.data?.error;
}

function isNotInChannel(err: unknown): boolean {
  const code = platformError(err);
  return code === 'not_in_channel' || code === 'channel_not_found';
}

/** Slack refusing our blocks must not cost the user the answer: the same text goes out plain. */
async function withoutBlocksIfRefused<T>(msg: SlackMessage, send: (m: SlackMessage) => Promise<T>): Promise<T> {
  try {
    return await send(msg);
  } catch (err) {
    const code = platformError(err);
    if (!msg.blocks || (code !== 'invalid_blocks' && code !== 'invalid_blocks_format')) throw err;
    return send({ text: msg.text, blocks: [] });
  }
}
