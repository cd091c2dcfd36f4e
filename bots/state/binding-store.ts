import type { SqlDb } from '../../adapters/registry/sql-db.js';

export interface ChannelKey {
  platform: string;
  workspace: string;
  channel: string;
}

/** Channel → knowledge base: which KB answers plain questions there (`/kb use`). */
export class BindingStore {
  constructor(private readonly db: SqlDb) {}

  bind(channel: ChannelKey, kb: string, boundBy: string, now: number): void {
    this.db.run(
      `INSERT INTO runtime_bindings (platform, workspace, channel, kb, bound_by, created_at) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (platform, workspace, channel) DO UPDATE SET kb = excluded.kb, bound_by = excluded.bound_by,
        created_at = excluded.created_at`,
      channel.platform,
      channel.workspace,
      channel.channel,
      kb,
      boundBy,
      now,
    );
  }

  /** Removes the channel's binding; returns the KB it was bound to. */
  unbind(channel: ChannelKey): string | undefined {
    const kb = this.boundKb(channel);
    this.db.run(
      'DELETE FROM runtime_bindings WHERE platform = ? AND workspace = ? AND channel = ?',
      channel.platform,
      channel.workspace,
      channel.channel,
    );
    return kb;
  }

  boundKb(channel: ChannelKey): string | undefined {
    const row = this.db.get(
      'SELECT kb FROM runtime_bindings WHERE platform = ? AND workspace = ? AND channel = ?',
      channel.platform,
      channel.workspace,
      channel.channel,
    ) as { kb: string } | undefined;
    return row?.kb;
  }

  /** Drops every binding of a deleted knowledge base. */
  removeKb(kb: string): number {
    return this.db.run('DELETE FROM runtime_bindings WHERE kb = ?', kb).changes;
  }
}
