import type { SqlDb } from '../../adapters/registry/sql-db.js';
import type { ChannelKey } from './binding-store.js';

/** The principal who shared the files (see principalKey) and the channel they were shared in. */
export interface TempKbOwner {
  owner: string;
  channel: ChannelKey;
}

/** Temporary knowledge bases holding files shared in a conversation, with their expiry. */
export class TempKbStore {
  constructor(private readonly db: SqlDb) {}

  add(kb: string, conversationId: number, now: number, expiresAt: number, owner?: TempKbOwner): void {
    this.db.run(
      'INSERT INTO runtime_temp_kbs (kb, conversation_id, created_at, expires_at, owner, owner_channel) VALUES (?, ?, ?, ?, ?, ?)',
      kb,
      conversationId,
      now,
      expiresAt,
      owner?.owner ?? null,
      owner ? JSON.stringify(owner.channel) : null,
    );
  }

  /** Undefined for unknown KBs and for ones recorded without an owner (nobody may use those by name). */
  ownerOf(kb: string): TempKbOwner | undefined {
    const row = this.db.get('SELECT owner, owner_channel FROM runtime_temp_kbs WHERE kb = ?', kb) as
      | { owner: string | null; owner_channel: string | null }
      | undefined;
    if (!row?.owner || !row.owner_channel) return undefined;
    return { owner: row.owner, channel: JSON.parse(row.owner_channel) as ChannelKey };
  }

  /** The conversation's unexpired temp KB, if any. */
  active(conversationId: number, now: number): string | undefined {
    const row = this.db.get(
      'SELECT kb FROM runtime_temp_kbs WHERE conversation_id = ? AND expires_at > ? ORDER BY created_at DESC LIMIT 1',
      conversationId,
      now,
    ) as { kb: string } | undefined;
    return row?.kb;
  }

  extend(kb: string, expiresAt: number): void {
    this.db.run('UPDATE runtime_temp_kbs SET expires_at = ? WHERE kb = ?', expiresAt, kb);
  }

  expired(now: number): string[] {
    const rows = this.db.all('SELECT kb FROM runtime_temp_kbs WHERE expires_at <= ? ORDER BY created_at', now) as {
      kb: string;
    }[];
    return rows.map((r) => r.kb);
  }

  /** Oldest first. */
  all(): string[] {
    const rows = this.db.all('SELECT kb FROM runtime_temp_kbs ORDER BY created_at, rowid') as { kb: string }[];
    return rows.map((r) => r.kb);
  }

  ofConversations(conversationIds: number[]): string[] {
    return conversationIds.flatMap((id) =>
      this.db.all<{ kb: string }>('SELECT kb FROM runtime_temp_kbs WHERE conversation_id = ?', id).map((r) => r.kb),
    );
  }

  remove(kb: string): void {
    this.db.run('DELETE FROM runtime_temp_kbs WHERE kb = ?', kb);
  }
}
