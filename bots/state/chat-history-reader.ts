import type { SqlDb } from '../../adapters/registry/sql-db.js';
import type { Citation, FinalAnswer } from '../../core/answer.js';
import type { Identity } from '../../core/principal.js';
import { type ConversationSummary, containing, type DownVote, type StoredTurn, titleOf } from './web-conversation-store.js';

/** Web ids of chat-platform conversations: "chat-<row id>". */
export const CHAT_PREFIX = 'chat-';

interface Row {
  id: number;
  platform: string;
  question: string;
  model: string | null;
  updated: number;
}

/**
 * Conversations a person had with the bot in Slack, Discord or Feishu, as the web console shows
 * them to the same person: only their own questions and the answers to them, never writable.
 */
export class ChatHistoryReader {
  constructor(private readonly db: SqlDb) {}

  private ready(): boolean {
    // The chat runtime's tables exist once it has started on this database.
    const sql =
      this.db.dialect === 'postgres'
        ? "SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'runtime_turns'"
        : "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'runtime_turns'";
    return this.db.get(sql) !== undefined;
  }

  list(who: Identity, query = ''): ConversationSummary[] {
    if (!this.ready() || who.platform === 'web') return [];
    const like = containing(query);
    const rows = this.db.all(
      `SELECT c.id, c.platform, c.model, MAX(t.created_at) AS updated,
          (SELECT question FROM runtime_turns f WHERE f.conversation_id = c.id AND f.user_id = ? ORDER BY f.id LIMIT 1) AS question
        FROM runtime_conversations c JOIN runtime_turns t ON t.conversation_id = c.id
        WHERE c.platform = ? AND c.workspace = ? AND t.user_id = ?
          AND (? = '' OR t.question LIKE ? ESCAPE '\\' OR t.answer LIKE ? ESCAPE '\\')
        GROUP BY c.id ORDER BY updated DESC LIMIT 100`,
      who.user,
      who.platform,
      who.workspace,
      who.user,
      query,
      like,
      like,
    ) as Row[];
    return rows.map((r) => ({
      id: `${CHAT_PREFIX}${r.id}`,
      title: titleOf(r.question),
      mode: 'conversation',
      kbs: [],
      model: r.model,
      updatedAt: r.updated,
      readOnly: true,
      platform: r.platform,
    }));
  }

  /** The person's own turns of one chat conversation; undefined when it is not theirs. */
  turns(who: Identity, id: string): StoredTurn[] | undefined {
    const rowId = Number(id.slice(CHAT_PREFIX.length));
    if (!this.ready() || !id.startsWith(CHAT_PREFIX) || !Number.isSafeInteger(rowId)) return undefined;
    const rows = this.db.all(
      `SELECT t.question, t.answer, t.citations, t.sources, t.mode, t.answer_id, t.created_at
        FROM runtime_turns t JOIN runtime_conversations c ON c.id = t.conversation_id
        WHERE c.id = ? AND c.platform = ? AND c.workspace = ? AND t.user_id = ? ORDER BY t.id`,
      rowId,
      who.platform,
      who.workspace,
      who.user,
    ) as {
      question: string;
      answer: string;
      citations: string;
      sources: string;
      mode: FinalAnswer['mode'];
      answer_id: string;
      created_at: number;
    }[];
    if (rows.length === 0) return undefined;
    return rows.map((r) => ({
      question: r.question,
      answer: {
        markdown: r.answer,
        citations: JSON.parse(r.citations) as Citation[],
        sources: JSON.parse(r.sources) as string[],
        mode: r.mode,
        answerId: r.answer_id,
      },
      mode: 'conversation',
      kbs: [],
      model: null,
      elapsedMs: null,
      createdAt: r.created_at,
      vote: null,
    }));
  }

  /** Recent 👎 cast with the buttons under answers in the chat platforms on answers drawn from `kb`, newest first. */
  downVotes(kb: string, limit = 50): DownVote[] {
    if (!this.ready()) return [];
    const rows = this.db.all(
      `SELECT f.answer_id, f.platform, f.created_at, t.question, t.answer
        FROM runtime_feedback f JOIN runtime_turns t ON t.answer_id = f.answer_id
        WHERE f.vote = 'down' AND t.sources LIKE ? ESCAPE '\\'
        ORDER BY f.created_at DESC LIMIT ?`,
      containing(JSON.stringify(kb)),
      limit,
    ) as { answer_id: string; platform: string; created_at: number; question: string; answer: string }[];
    return rows.map((r) => ({
      answerId: r.answer_id,
      platform: r.platform,
      question: r.question,
      answer: r.answer,
      comment: null,
      createdAt: r.created_at,
    }));
  }
}
