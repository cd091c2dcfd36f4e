import type { SqlDb } from '../../adapters/registry/sql-db.js';

export type Vote = 'up' | 'down';

export interface FeedbackRow {
  answerId: string;
  platform: string;
  user: string;
  vote: Vote;
}

/** 👍/👎 on answers; one vote per user and answer (the latest click wins). */
export class FeedbackStore {
  constructor(private readonly db: SqlDb) {}

  record(f: FeedbackRow, now: number): void {
    this.db.run(
      `INSERT INTO runtime_feedback (answer_id, platform, user_id, vote, created_at) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (answer_id, platform, user_id) DO UPDATE SET vote = excluded.vote, created_at = excluded.created_at`,
      f.answerId,
      f.platform,
      f.user,
      f.vote,
      now,
    );
  }

  forAnswer(answerId: string): FeedbackRow[] {
    const rows = this.db.all(
      'SELECT answer_id, platform, user_id, vote FROM runtime_feedback WHERE answer_id = ? ORDER BY created_at',
      answerId,
    ) as { answer_id: string; platform: string; user_id: string; vote: Vote }[];
    return rows.map((r) => ({ answerId: r.answer_id, platform: r.platform, user: r.user_id, vote: r.vote }));
  }
}
