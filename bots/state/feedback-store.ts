import type { SqliteDb } from '../../adapters/registry/sqlite-db.js';

export type Vote = 'up' | 'down';

export interface FeedbackRow {
  answerId: string;
  platform: string;
  user: string;
  vote: Vote;
}

/** 👍/👎 on answers; one vote per user and answer (the latest click wins). */
export class FeedbackStore {
  constructor(private readonly db: SqliteDb) {}

  record(f: FeedbackRow, now: number): void {
    this.db
      .prepare(`INSERT INTO runtime_feedback (answer_id, platform, user_id, vote, created_at) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (answer_id, platform, user_id) DO UPDATE SET vote = excluded.vote, created_at = excluded.created_at`)
      .run(f.answerId, f.platform, f.user, f.vote, now);
  }

  forAnswer(answerId: string): FeedbackRow[] {
    const rows = this.db
      .prepare('SELECT answer_id, platform, user_id, vote FROM runtime_feedback WHERE answer_id = ? ORDER BY created_at')
      .all(answerId) as { answer_id: string; platform: string; user_id: string; vote: Vote }[];
    return rows.map((r) => ({ answerId: r.answer_id, platform: r.platform, user: r.user_id, vote: r.vote }));
  }
}
