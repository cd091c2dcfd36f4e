import type { SqlDb } from '../../adapters/registry/sql-db.js';

export interface PendingConfirmation {
  token: string;
  action: 'delete-kb';
  kb: string;
  platform: string;
  user: string;
  expiresAt: number;
}

interface Row {
  token: string;
  action: 'delete-kb';
  kb: string;
  platform: string;
  user_id: string;
  expires_at: number;
}

/** Confirmations awaiting a button click; each token works once and until it expires. */
export class ConfirmationStore {
  constructor(private readonly db: SqlDb) {}

  add(c: PendingConfirmation): void {
    this.db.run(
      'INSERT INTO runtime_confirmations (token, action, kb, platform, user_id, expires_at) VALUES (?, ?, ?, ?, ?, ?)',
      c.token,
      c.action,
      c.kb,
      c.platform,
      c.user,
      c.expiresAt,
    );
  }

  /** The unexpired confirmation for a token, left in place. */
  peek(token: string, now: number): PendingConfirmation | undefined {
    const row = this.db.get('SELECT * FROM runtime_confirmations WHERE token = ? AND expires_at > ?', token, now) as
      | Row
      | undefined;
    if (!row) return undefined;
    return {
      token: row.token,
      action: row.action,
      kb: row.kb,
      platform: row.platform,
      user: row.user_id,
      expiresAt: row.expires_at,
    };
  }

  /** Consumes the token; false when it was already used. */
  take(token: string): boolean {
    return this.db.run('DELETE FROM runtime_confirmations WHERE token = ?', token).changes > 0;
  }

  purge(now: number): number {
    return this.db.run('DELETE FROM runtime_confirmations WHERE expires_at <= ?', now).changes;
  }
}
