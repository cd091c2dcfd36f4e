import type { SqlDb } from '../../adapters/registry/sql-db.js';
import type { Identity } from '../../core/principal.js';
import { digestOf, newToken } from './tokens.js';

export interface SessionSettings {
  /** A session ends this long after sign-in, however active. */
  ttlMs: number;
  /** The cookie's token is replaced after this long, so a copied cookie soon stops working. */
  rotateMs: number;
}

/** A replaced token keeps working this long, for requests the browser already had in flight. */
const ROTATION_GRACE_MS = 60_000;

const identityKey = (id: Identity) => `${id.platform}:${id.workspace}:${id.user}`;

interface Row {
  identity: string;
  created_at: number;
  rotated_at: number;
  expires_at: number;
}

/** Web console sessions: one random token per browser, stored as a digest, rotated and revocable. */
export class SessionStore {
  constructor(
    private readonly db: SqlDb,
    private readonly settings: SessionSettings,
    private readonly now: () => number = Date.now,
  ) {}

  /** Starts a session; the token goes into the cookie and nowhere else. */
  open(identity: Identity): string {
    const token = newToken();
    const now = this.now();
    this.db.run(
      'INSERT INTO access_sessions (digest, identity, identity_key, created_at, rotated_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)',
      digestOf(token),
      JSON.stringify(identity),
      identityKey(identity),
      now,
      now,
      now + this.settings.ttlMs,
    );
    return token;
  }

  /**
   * The identity of a live session, and a replacement token when this one is due for rotation
   * (the old one then expires after a short grace period).
   */
  use(token: string): { identity: Identity; rotated?: string } | undefined {
    const now = this.now();
    const digest = digestOf(token);
    const row = this.db.get('SELECT * FROM access_sessions WHERE digest = ? AND expires_at > ?', digest, now) as Row | undefined;
    if (!row) return undefined;
    const identity = JSON.parse(row.identity) as Identity;
    if (now - row.rotated_at < this.settings.rotateMs) return { identity };
    const rotated = newToken();
    this.db.transaction(() => {
      this.db.run(
        'INSERT INTO access_sessions (digest, identity, identity_key, created_at, rotated_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)',
        digestOf(rotated),
        row.identity,
        identityKey(identity),
        row.created_at,
        now,
        row.expires_at,
      );
      this.db.run(
        'UPDATE access_sessions SET expires_at = ?, rotated_at = ? WHERE digest = ?',
        Math.min(row.expires_at, now + ROTATION_GRACE_MS),
        now,
        digest,
      );
    });
    return { identity, rotated };
  }

  /** Signs one browser out. */
  close(token: string): void {
    this.db.run('DELETE FROM access_sessions WHERE digest = ?', digestOf(token));
  }

  /** Signs a person out everywhere (`/kb web logout`); returns how many sessions ended. */
  revokeAll(identity: Identity): number {
    return this.db.run('DELETE FROM access_sessions WHERE identity_key = ?', identityKey(identity)).changes;
  }

  purge(): number {
    return this.db.run('DELETE FROM access_sessions WHERE expires_at <= ?', this.now()).changes;
  }
}

/** One-time sign-in links the bot sends in a DM: short-lived, consumed on first use. */
export class SignInLinks {
  constructor(
    private readonly db: SqlDb,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  issue(identity: Identity): { token: string; expiresAt: number } {
    const token = newToken();
    const expiresAt = this.now() + this.ttlMs;
    this.db.run(
      'INSERT INTO access_signin_links (digest, identity, expires_at) VALUES (?, ?, ?)',
      digestOf(token),
      JSON.stringify(identity),
      expiresAt,
    );
    return { token, expiresAt };
  }

  /** Who the link signs in, without using it up (the confirmation page shows the name). */
  peek(token: string): Identity | undefined {
    const row = this.db.get(
      'SELECT identity FROM access_signin_links WHERE digest = ? AND expires_at > ?',
      digestOf(token),
      this.now(),
    ) as { identity: string } | undefined;
    return row && (JSON.parse(row.identity) as Identity);
  }

  /**
   * Uses the link up; a second use, or a late one, gets nothing. One statement takes the row, so two
   * replicas given the same link cannot both sign in with it.
   */
  consume(token: string): Identity | undefined {
    const row = this.db.get<{ identity: string; expires_at: number }>(
      'DELETE FROM access_signin_links WHERE digest = ? RETURNING identity, expires_at',
      digestOf(token),
    );
    return row && row.expires_at > this.now() ? (JSON.parse(row.identity) as Identity) : undefined;
  }

  purge(): number {
    return this.db.run('DELETE FROM access_signin_links WHERE expires_at <= ?', this.now()).changes;
  }
}
