import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import { ButtonCodec } from '../../core/button-codec.js';
import type { BotRuntime, IncomingEvent, Reply } from '../../core/chat.js';
import { type ReplyTarget, SlackOutbox } from './outbox.js';
import { SlackSurface, type SlackSurfaceSettings } from './surface.js';

const REMEMBERED_EVENTS = 2000;

/**
 * Hands acknowledged events to the runtime without waiting for it, and drops redeliveries this
 * process already took (the runtime's own dedupe covers restarts and other replicas).
 */
export class SlackDispatcher {
  private readonly seen = new Set<string>();
  private readonly running = new Set<Promise<void>>();
  private readonly codec = new ButtonCodec();

  constructor(
    private readonly client: webApi.WebClient,
    private readonly runtime: BotRuntime,
    private readonly settings: SlackSurfaceSettings,
    private readonly resolveUrl: (url: string) => string | undefined,
    private readonly logger: Logger,
  ) {}

  dispatch(event: IncomingEvent, target: ReplyTarget): void {
    if (this.seen.has(event.eventId)) {
      this.logger.debug({ eventId: event.eventId }, 'slack: dropped a redelivered event');
      return;
    }
    this.remember(event.eventId);
    const outbox = new SlackOutbox(this.client, target, this.resolveUrl);
    const reply = this.runtime.replyOn(new SlackSurface(outbox, this.codec, this.settings, this.logger));
    // Starting on the next turn of the event loop lets the ack response leave before any runtime work.
    const job = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.run(event, reply));
    this.running.add(job);
    void job.finally(() => this.running.delete(job));
  }

  /** Waits for running handlers, at most `timeoutMs`. */
  async drain(timeoutMs: number): Promise<void> {
    if (this.running.size === 0) return;
    const ac = new AbortController();
    await Promise.race([
      Promise.allSettled([...this.running]),
      sleep(timeoutMs, undefined, { signal: ac.signal }).catch(() => undefined),
    ]);
    ac.abort();
  }

  private async run(event: IncomingEvent, reply: Reply): Promise<void> {
    try {
      await this.runtime.handle(event, reply);
    } catch (err) {
      const ref = randomUUID().slice(0, 8);
      this.logger.error({ err, ref, eventId: event.eventId, kind: event.kind }, 'slack: the runtime failed on an event');
      await reply.write({ type: 'error', code: 'INTERNAL', message: 'Something went wrong while handling that.', ref });
      await reply.end();
    }
  }

  private remember(eventId: string): void {
    this.seen.add(eventId);
    if (this.seen.size > REMEMBERED_EVENTS) {
      const oldest = this.seen.values().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
  }
}
