import type { SqlDb } from '../../adapters/registry/sql-db.js';
import type { Citation, FinalAnswer } from '../../core/answer.js';

/** A conversation: a thread of a channel, a channel's top level, or a whole DM. */
export interface ConversationKey {
  platform: string;
  workspace: string;
  channel: string;
  /** Thread root id; '' for a DM or a channel's top level. */
  thread: string;
}

export interface Turn {
  user: string;
  question: string;
  answer: string;
  citations: Citation[];
  sources: string[];
  mode: FinalAnswer['mode'];
  answerId: string;
}

interface TurnRow {
  user_id: string;
  question: string;
  answer: string;
  citations: string;
  sources: string;
  mode: FinalAnswer['mode'];
  answer_id: string;
}

const KEY_WHERE = 'platform = ? AND workspace = ? AND channel = ? AND thread = ?';
const keyArgs = (k: ConversationKey) => [k.platform, k.workspace, k.channel, k.thread] as const;

/** Conversations, their chosen model and their question/answer history. */
export class ConversationStore {
  constructor(private readonly db: SqlDb) {}

  /** The conversation's id, creating the row on first use. */
  ensure(key: ConversationKey, now: number): number {
    this.db.run(
      `INSERT INTO runtime_conversations (platform, workspace, channel, thread, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (platform, workspace, channel, thread) DO NOTHING`,
      ...keyArgs(key),
      now,
      now,
    );
    return this.idOf(key) as number;
  }

  idOf(key: ConversationKey): number | undefined {
    const row = this.db.get(`SELECT id FROM runtime_conversations WHERE ${KEY_WHERE}`, ...keyArgs(key)) as
      | { id: number }
      | undefined;
    return row?.id;
  }

  model(key: ConversationKey): string | undefined {
    const row = this.db.get(`SELECT model FROM runtime_conversations WHERE ${KEY_WHERE}`, ...keyArgs(key)) as
      | { model: string | null }
      | undefined;
    return row?.model ?? undefined;
  }

  setModel(key: ConversationKey, model: string | null, now: number): void {
    const id = this.ensure(key, now);
    this.db.run('UPDATE runtime_conversations SET model = ?, updated_at = ? WHERE id = ?', model, now, id);
  }

  addTurn(key: ConversationKey, turn: Turn, now: number): void {
    const id = this.ensure(key, now);
    this.db.run(
      `INSERT INTO runtime_turns
        (conversation_id, user_id, question, answer, citations, sources, mode, answer_id, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      id,
      turn.user,
      turn.question,
      turn.answer,
      JSON.stringify(turn.citations),
      JSON.stringify(turn.sources),
      turn.mode,
      turn.answerId,
      now,
    );
    this.db.run('UPDATE runtime_conversations SET updated_at = ? WHERE id = ?', now, id);
  }

  /** The last `n` turns, oldest first. */
  recentTurns(key: ConversationKey, n: number): Turn[] {
    const id = this.idOf(key);
    if (n <= 0 || id === undefined) return [];
    const rows = this.db.all(
      'SELECT * FROM runtime_turns WHERE conversation_id = ? ORDER BY id DESC LIMIT ?',
      id,
      n,
    ) as TurnRow[];
    return rows.reverse().map((r) => ({
      user: r.user_id,
      question: r.question,
      answer: r.answer,
      citations: JSON.parse(r.citations) as Citation[],
      sources: JSON.parse(r.sources) as string[],
      mode: r.mode,
      answerId: r.answer_id,
    }));
  }

  hasAnswer(answerId: string): boolean {
    return this.db.get('SELECT 1 FROM runtime_turns WHERE answer_id = ?', answerId) !== undefined;
  }

  /** Forgets the history of the conversation (thread or DM); returns the turns removed. */
  forget(key: ConversationKey): number {
    const id = this.idOf(key);
    return id === undefined ? 0 : this.forgetIds([id]);
  }

  /** Ids of every conversation of a channel: its top level and all its threads. */
  channelConversationIds(channel: Omit<ConversationKey, 'thread'>): number[] {
    const rows = this.db.all(
      'SELECT id FROM runtime_conversations WHERE platform = ? AND workspace = ? AND channel = ?',
      channel.platform,
      channel.workspace,
      channel.channel,
    ) as { id: number }[];
    return rows.map((r) => r.id);
  }

  forgetIds(ids: number[]): number {
    return this.db.transaction(() =>
      ids.reduce((sum, id) => sum + this.db.run('DELETE FROM runtime_turns WHERE conversation_id = ?', id).changes, 0),
    );
  }
}
