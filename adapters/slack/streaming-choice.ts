import type { Logger } from 'pino';
import type { SlackStreaming } from './options.js';
import { platformError, type ReplyTarget } from './outbox.js';

/** Refusals about this one answer (its channel, a passing fault), not about streaming as such. */
const REFUSED_FOR_THIS_ANSWER = new Set([
  'not_in_channel',
  'channel_not_found',
  'is_archived',
  'thread_not_found',
  'message_not_found',
  'ratelimited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'message_limit_exceeded',
]);

/**
 * Decides, per answer, between Slack's native streaming and placeholder + chat.update. Native
 * streams need a thread; in `auto` mode the first refusal (unknown_method, not_allowed_token_type,
 * missing_scope, … anything but a channel or transient problem) switches this process to
 * chat.update for good.
 */
export class StreamingChoice {
  private refusedWith: string | undefined;

  constructor(
    readonly mode: SlackStreaming,
    private readonly logger: Logger,
  ) {}

  useNative(target: ReplyTarget): boolean {
    if (this.mode === 'update' || this.refusedWith !== undefined) return false;
    return target.origin === 'message' && target.threadTs !== undefined;
  }

  /** Records that starting a native stream failed; the answer at hand goes out by chat.update. */
  refused(err: unknown): void {
    const code = platformError(err);
    if (this.mode === 'auto' && code !== undefined && !REFUSED_FOR_THIS_ANSWER.has(code)) {
      this.refusedWith = code;
      this.logger.warn({ code }, 'slack: native streaming is unavailable; answers stream by chat.update from now on');
      return;
    }
    this.logger.warn({ err }, 'slack: could not start a native stream; this answer streams by chat.update');
  }
}
