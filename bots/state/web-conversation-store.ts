import { type Migration, migrate, type SqliteDb } from '../../adapters/registry/sqlite-db.js';
import type { FinalAnswer } from '../../core/answer.js';

/** What the web console picked for a conversation: restored with it after a reload. */
export interface ConversationSettings {
  mode: string;
  kbs: string[];
  model: string | null;
}

export interface ConversationSummary extends ConversationSettings {
  id: string;
  title: string;
  updatedAt: number;
  /** Conversations from a chat platform are shown to the same person, read-only. */
  readOnly: boolean;
  platform: string;
}

export interface StoredTurn {
  question: string;
  answer: Pick<FinalAnswer, 'markdown' | 'citations' | 'sources' | 'mode' | 'model'> & { answerId: string };
  mode: string;
  kbs: string[];
  model: string | null;
  elapsedMs: number | null;
  createdAt: number;
  vote?: { vote: 'up' | 'down'; comment: string | null } | null;
}

export interface DownVote {
  answerId: string;
  /** Where the vote was cast: "web", or the chat platform ("slack", "discord", "feishu"). */
  platform: string;
  question: string;
  answer: string;
  comment: string | null;
  createdAt: number;
}

const MIGRATIONS: Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE web_conversations (
        principal TEXT NOT NULL, id TEXT NOT NULL, title TEXT NOT NULL,
        mode TEXT NOT NULL, kbs TEXT NOT NULL, model TEXT,
        created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
        PRIMARY KEY (principal, id));
      CREATE INDEX web_conversations_recent ON web_conversations (principal, updated_at);
      CREATE TABLE web_turns (
        seq INTEGER PRIMARY KEY, principal TEXT NOT NULL, conversation TEXT NOT NULL,
        question TEXT NOT NULL, answer TEXT NOT NULL, mode TEXT NOT NULL, kbs TEXT NOT NULL,
        model TEXT, elapsed_ms INTEGER, answer_id TEXT NOT NULL UNIQUE, created_at INTEGER NOT NULL);
      CREATE INDEX web_turns_conversation ON web_turns (principal, conversation, seq);
      CREATE TABLE web_feedback (
        answer_id TEXT NOT NULL, principal TEXT NOT NULL,
        vote TEXT NOT NULL CHECK (vote IN ('up', 'down')), comment TEXT, created_at INTEGER NOT NULL,
        PRIMARY KEY (answer_id, principal));
    `,
  },
];

const TITLE_MAX = 80;
export const titleOf = (question: string) => {
  const flat = question.replace(/\s+/g, ' ').trim();
  return flat.length > TITLE_MAX ? `${flat.slice(0, TITLE_MAX - 1)}…` : flat || '…';
};

interface ConversationRow {
  id: string;
  title: string;
  mode: string;
  kbs: string;
  model: string | null;
  updated_at: number;
}
interface TurnRow {
  question: string;
  answer: string;
  mode: string;
  kbs: string;
  model: string | null;
  elapsed_ms: number | null;
  created_at: number;
  vote: 'up' | 'down' | null;
  comment: string | null;
}

const summary = (r: ConversationRow): ConversationSummary => ({
  id: r.id,
  title: r.title,
  mode: r.mode,
  kbs: JSON.parse(r.kbs) as string[],
  model: r.model,
  updatedAt: r.updated_at,
  readOnly: false,
  platform: 'web',
});

/**
 * The web console's conversations, one namespace per principal (principalKey): titles, the mode,
 * KBs and model picked, every question with its answer, and 👍/👎 with comments on answers.
 */
export class WebConversationStore {
  constructor(private readonly db: SqliteDb) {
    migrate(db, 'web', MIGRATIONS);
  }

  list(principal: string, query = '', limit = 200): ConversationSummary[] {
    const like = `%${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const rows = this.db
      .prepare(`SELECT id, title, mode, kbs, model, updated_at FROM web_conversations c WHERE principal = ?
        AND (? = '' OR title LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM web_turns t WHERE t.principal = c.principal
          AND t.conversation = c.id AND (t.question LIKE ? ESCAPE '\\' OR t.answer LIKE ? ESCAPE '\\')))
        ORDER BY updated_at DESC LIMIT ?`)
      .all(principal, query, like, like, like, limit) as ConversationRow[];
    return rows.map(summary);
  }

  get(principal: string, id: string): ConversationSummary | undefined {
    const row = this.db
      .prepare('SELECT id, title, mode, kbs, model, updated_at FROM web_conversations WHERE principal = ? AND id = ?')
      .get(principal, id) as ConversationRow | undefined;
    return row ? summary(row) : undefined;
  }

  turns(principal: string, id: string): StoredTurn[] {
    const rows = this.db
      .prepare(`SELECT t.*, f.vote, f.comment FROM web_turns t
        LEFT JOIN web_feedback f ON f.answer_id = t.answer_id AND f.principal = t.principal
        WHERE t.principal = ? AND t.conversation = ? ORDER BY t.seq`)
      .all(principal, id) as TurnRow[];
    return rows.map((r) => ({
      question: r.question,
      answer: JSON.parse(r.answer) as StoredTurn['answer'],
      mode: r.mode,
      kbs: JSON.parse(r.kbs) as string[],
      model: r.model,
      elapsedMs: r.elapsed_ms,
      createdAt: r.created_at,
      vote: r.vote ? { vote: r.vote, comment: r.comment } : null,
    }));
  }

  /** Creates the conversation on its first question (titled by it) or updates what was picked. */
  touch(principal: string, id: string, settings: ConversationSettings, firstQuestion: string, now: number): void {
    this.db
      .prepare(`INSERT INTO web_conversations (principal, id, title, mode, kbs, model, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (principal, id) DO UPDATE SET
        mode = excluded.mode, kbs = excluded.kbs, model = excluded.model, updated_at = excluded.updated_at`)
      .run(principal, id, titleOf(firstQuestion), settings.mode, JSON.stringify(settings.kbs), settings.model, now, now);
  }

  /**
   * Adds a question and its answer at the end of the conversation; with `replaces` (a regenerated
   * answer's id) the new answer takes that turn's place instead, and the old answer's votes go.
   */
  addTurn(principal: string, id: string, turn: Omit<StoredTurn, 'createdAt' | 'vote'>, now: number, replaces?: string): void {
    this.touch(principal, id, { mode: turn.mode, kbs: turn.kbs, model: turn.model }, turn.question, now);
    const { markdown, citations, sources, mode, model, answerId } = turn.answer;
    const values = [
      turn.question,
      JSON.stringify({ markdown, citations, sources, mode, model, answerId }),
      turn.mode,
      JSON.stringify([...new Set([...turn.kbs, ...sources])]),
      turn.model,
      turn.elapsedMs,
      answerId,
      now,
    ];
    this.db.transaction(() => {
      if (replaces) {
        const replaced = this.db
          .prepare(`UPDATE web_turns SET question = ?, answer = ?, mode = ?, kbs = ?, model = ?, elapsed_ms = ?,
            answer_id = ?, created_at = ? WHERE principal = ? AND conversation = ? AND answer_id = ?`)
          .run(...values, principal, id, replaces).changes;
        if (replaced > 0) {
          this.db.prepare('DELETE FROM web_feedback WHERE principal = ? AND answer_id = ?').run(principal, replaces);
          return;
        }
      }
      this.db
        .prepare(`INSERT INTO web_turns (question, answer, mode, kbs, model, elapsed_ms, answer_id, created_at,
          principal, conversation) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(...values, principal, id);
    })();
  }

  rename(principal: string, id: string, title: string, now: number): boolean {
    return (
      this.db
        .prepare('UPDATE web_conversations SET title = ?, updated_at = ? WHERE principal = ? AND id = ?')
        .run(titleOf(title), now, principal, id).changes > 0
    );
  }

  remove(principal: string, id: string): boolean {
    return this.db.transaction(() => {
      this.db
        .prepare(`DELETE FROM web_feedback WHERE principal = ? AND answer_id IN
          (SELECT answer_id FROM web_turns WHERE principal = ? AND conversation = ?)`)
        .run(principal, principal, id);
      this.db.prepare('DELETE FROM web_turns WHERE principal = ? AND conversation = ?').run(principal, id);
      return this.db.prepare('DELETE FROM web_conversations WHERE principal = ? AND id = ?').run(principal, id).changes > 0;
    })();
  }

  /** Records a vote on one of the principal's own answers; false when there is no such answer. */
  vote(principal: string, answerId: string, vote: 'up' | 'down', comment: string | null, now: number): boolean {
    const own = this.db.prepare('SELECT 1 FROM web_turns WHERE principal = ? AND answer_id = ?').get(principal, answerId);
    if (!own) return false;
    this.db
      .prepare(`INSERT INTO web_feedback (answer_id, principal, vote, comment, created_at) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (answer_id, principal) DO UPDATE SET vote = excluded.vote, comment = excluded.comment,
        created_at = excluded.created_at`)
      .run(answerId, principal, vote, comment, now);
    return true;
  }

  /** Recent 👎 on answers that drew on (or were asked of) a knowledge base, newest first. */
  downVotes(kb: string, limit = 50): DownVote[] {
    const rows = this.db
      .prepare(`SELECT f.answer_id, f.comment, f.created_at, t.question, t.answer FROM web_feedback f
        JOIN web_turns t ON t.answer_id = f.answer_id
        WHERE f.vote = 'down' AND EXISTS (SELECT 1 FROM json_each(t.kbs) WHERE value = ?)
        ORDER BY f.created_at DESC LIMIT ?`)
      .all(kb, limit) as { answer_id: string; comment: string | null; created_at: number; question: string; answer: string }[];
    return rows.map((r) => ({
      answerId: r.answer_id,
      platform: 'web',
      question: r.question,
      answer: (JSON.parse(r.answer) as { markdown: string }).markdown,
      comment: r.comment,
      createdAt: r.created_at,
    }));
  }
}
