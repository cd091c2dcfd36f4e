import type { ChatContext } from '../../core/chat.js';
import { TeamKbError } from '../../core/errors.js';

const WINDOW_MS = 60_000;

/** Questions per user per minute (sliding window, in memory: a restart forgives everyone). */
export class RateLimiter {
  private readonly recent = new Map<string, number[]>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number,
  ) {}

  /** Counts one question, or throws RATE_LIMITED with when to try again. */
  take(ctx: Pick<ChatContext, 'platform' | 'user'>): void {
    if (this.perMinute <= 0) return;
    const key = `${ctx.platform}:${ctx.user}`;
    const now = this.now();
    const times = (this.recent.get(key) ?? []).filter((t) => t > now - WINDOW_MS);
    if (times.length >= this.perMinute) {
      const waitS = Math.max(1, Math.ceil(((times[0] as number) + WINDOW_MS - now) / 1000));
      this.recent.set(key, times);
      throw new TeamKbError(
        'RATE_LIMITED',
        `Easy there — you can ask ${this.perMinute} questions a minute. Please try again in ${waitS} s.`,
        { details: { user: ctx.user, waitS } },
      );
    }
    times.push(now);
    this.recent.set(key, times);
    if (this.recent.size > 10_000) this.forgetIdle(now);
  }

  private forgetIdle(now: number): void {
    for (const [key, times] of this.recent) if (!times.some((t) => t > now - WINDOW_MS)) this.recent.delete(key);
  }
}
