import type { SqliteDb } from '../../adapters/registry/sqlite-db.js';
import type { ChannelKey } from './binding-store.js';

/** The principal who shared the files (see principalKey) and the channel they were shared in. */
export interface TempKbOwner {
  owner: string;
  channel: ChannelKey;
}

/** Temporary knowledge bases holding files shared in a conversation, with their expiry. */
export class TempKbStore {
  constructor(private readonly db: SqliteDb) {}

  add(kb: string, conversationId: number, now: number, expiresAt: number, owner?: TempKbOwner): void {
    this.db
      .prepare(
        'INSERT INTO runtime_temp_kbs (kb, conversation_id, created_at, expires_at, owner, owner_channel) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(kb, conversationId, now, expiresAt, owner?.owner ?? null, owner ? JSON.stringify(owner.channel) : null);
  }

  /** Undefined for unknown KBs and for ones recorded without an owner (nobody may use those by name). */
  ownerOf(kb: string): TempKbOwner | undefined {
    const row = this.db.prepare('SELECT owner, owner_channel FROM runtime_temp_kbs WHERE kb = ?').get(kb) as
      | { owner: string | null; owner_channel: string | null }
      | undefined;
    if (!row?.owner || !row.owner_channel) return undefined;
    return { owner: row.owner, channel: JSON.parse(row.owner_channel) as ChannelKey };
  }

  /** The conversation's unexpired temp KB, if any. */
  active(conversationId: number, now: number): string | undefined {
    const row = this.db
      .prepare('SELECT kb FROM runtime_temp_kbs WHERE conversation_id = ? AND expires_at > ? ORDER BY created_at DESC LIMIT 1')
      .get(conversationId, now) as { kb: string } | undefined;
    return row?.kb;
  }

  extend(kb: string, expiresAt: number): void {
    this.db.prepare('UPDATE runtime_temp_kbs SET expires_at = ? WHERE kb = ?').run(expiresAt, kb);
  }

  expired(now: number): string[] {
    const rows = this.db.prepare('SELECT kb FROM runtime_temp_kbs WHERE expires_at <= ? ORDER BY created_at').all(now) as {
      kb: string;
    }[];
    return rows.map((r) => r.kb);
  }

  /** Oldest first. */
  all(): string[] {
    const rows = this.db.prepare('SELECT kb FROM runtime_temp_kbs ORDER BY created_at, rowid').all() as { kb: string }[];
    return rows.map((r) => r.kb);
  }

  ofConversations(conversationIds: number[]): string[] {
    const select = this.db.prepare('SELECT kb FROM runtime_temp_kbs WHERE conversation_id = ?');
    return conversationIds.flatMap((id) => (select.all(id) as { kb: string }[]).map((r) => r.kb));
  }

  remove(kb: string): void {
    this.db.prepare('DELETE FROM runtime_temp_kbs WHERE kb = ?').run(kb);
  }
}
