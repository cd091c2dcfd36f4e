import type { SqlDb } from '../../adapters/registry/sql-db.js';
import type { ChatContext } from '../../core/chat.js';
import { TeamKbError } from '../../core/errors.js';

const WINDOW_MS = 60_000;

/**
 * Questions per user per minute (sliding window). The window lives in the state database, so every
 * replica on one PostgreSQL counts the same questions; one user's check-and-count is serialised by
 * a transaction (and, on PostgreSQL, a lock on that user's key).
 */
export class RateLimiter {
  constructor(
    private readonly db: SqlDb,
    private readonly perMinute: number,
    private readonly now: () => number,
  ) {}

  /** Counts one question, or throws RATE_LIMITED with when to try again. */
  take(ctx: Pick<ChatContext, 'platform' | 'user'>): void {
    if (this.perMinute <= 0) return;
    const key = `${ctx.platform}:${ctx.user}`;
    const now = this.now();
    const oldest = this.db.transaction(() => {
      if (this.db.dialect === 'postgres') this.db.get('SELECT pg_advisory_xact_lock(hashtext(?))', `rate:${key}`);
      const recent = this.db.all<{ at: number }>(
        'SELECT at FROM runtime_rate_hits WHERE rate_key = ? AND at > ? ORDER BY at LIMIT ?',
        key,
        now - WINDOW_MS,
        this.perMinute,
      );
      if (recent.length >= this.perMinute) return recent[0]?.at as number;
      this.db.run('INSERT INTO runtime_rate_hits (rate_key, at) VALUES (?, ?)', key, now);
      return undefined;
    });
    if (oldest === undefined) return;
    const waitS = Math.max(1, Math.ceil((oldest + WINDOW_MS - now) / 1000));
    throw new TeamKbError(
      'RATE_LIMITED',
      `Easy there — you can ask ${this.perMinute} questions a minute. Please try again in ${waitS} s.`,
      { details: { user: ctx.user, waitS } },
    );
  }

  /** Forgets questions older than the window. */
  purge(): number {
    return this.db.run('DELETE FROM runtime_rate_hits WHERE at <= ?', this.now() - WINDOW_MS).changes;
  }
}
