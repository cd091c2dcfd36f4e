import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SqlDb } from '../../adapters/registry/sql-db.js';
import { ChatHistoryReader } from '../../bots/state/chat-history-reader.js';
import { ConversationStore } from '../../bots/state/conversation-store.js';
import { FeedbackStore } from '../../bots/state/feedback-store.js';
import { migrateRuntime } from '../../bots/state/migrations.js';
import { WebConversationStore } from '../../bots/state/web-conversation-store.js';

/** Epoch milliseconds well past 2^31, so a 32-bit column would fail. */
const T0 = Date.UTC(2026, 0, 1);
const ALICE = 'slack:T1:U1';
const BOB = 'slack:T1:U2';
const settings = { mode: 'kb', kbs: ['hand_book'], model: null };

const webTurn = (n: number, kbs = ['hand_book']) => ({
  question: `question ${n} about 50% of_it`,
  answer: { markdown: `answer ${n}`, citations: [], sources: kbs, mode: 'kb' as const, answerId: `w-${n}` },
  mode: 'kb',
  kbs,
  model: null,
  elapsedMs: 1200,
});

/** What the web console's conversation store and the chat-history reader must do on every state engine. */
export function webStateContract(name: string, open: (() => SqlDb) | undefined): void {
  (open ? describe : describe.skip)(`Web console state contract: ${name}`, () => {
    let db: SqlDb;
    let store: WebConversationStore;
    beforeEach(() => {
      db = (open as () => SqlDb)();
      store = new WebConversationStore(db);
    });
    afterEach(() => db.close());

    it('keeps conversations per principal, newest first, with titles, settings and turns in order', () => {
      store.addTurn(ALICE, 'c1', webTurn(1), T0);
      store.addTurn(ALICE, 'c1', webTurn(2), T0 + 10);
      store.addTurn(ALICE, 'c2', webTurn(3), T0 + 20);
      store.addTurn(BOB, 'c1', webTurn(4), T0 + 30);
      expect(store.list(ALICE).map((c) => c.id)).toEqual(['c2', 'c1']);
      expect(store.get(ALICE, 'c1')).toMatchObject({
        title: 'question 1 about 50% of_it',
        kbs: ['hand_book'],
        updatedAt: T0 + 10,
      });
      expect(store.turns(ALICE, 'c1').map((t) => t.answer.markdown)).toEqual(['answer 1', 'answer 2']);
      expect(store.turns(ALICE, 'c1')[0]?.createdAt).toBe(T0);
      expect(store.list(BOB).map((c) => c.id)).toEqual(['c1']);
      expect(store.turns(BOB, 'c1').map((t) => t.question)).toEqual(['question 4 about 50% of_it']);
    });

    it('searches titles and turns, taking % and _ literally', () => {
      store.addTurn(ALICE, 'c1', webTurn(1), T0);
      store.touch(ALICE, 'c2', settings, 'plain words', T0 + 1);
      expect(store.list(ALICE, '50% of_it').map((c) => c.id)).toEqual(['c1']);
      expect(store.list(ALICE, 'answer 1').map((c) => c.id)).toEqual(['c1']);
      expect(store.list(ALICE, '5_%')).toEqual([]);
    });

    it('renames, regenerates an answer in its place, and deletes a conversation with its votes', () => {
      store.addTurn(ALICE, 'c1', webTurn(1), T0);
      store.addTurn(ALICE, 'c1', webTurn(2), T0 + 1);
      expect(store.rename(ALICE, 'c1', 'Travel', T0 + 2)).toBe(true);
      expect(store.rename(BOB, 'c1', 'Mine now', T0 + 2)).toBe(false);
      expect(store.vote(ALICE, 'w-1', 'down', 'wrong', T0 + 2)).toBe(true);
      store.addTurn(ALICE, 'c1', webTurn(3), T0 + 3, 'w-1');
      expect(store.turns(ALICE, 'c1').map((t) => t.answer.answerId)).toEqual(['w-3', 'w-2']);
      expect(store.turns(ALICE, 'c1')[0]?.vote).toBeNull();
      expect(store.vote(ALICE, 'w-2', 'down', 'wrong year', T0 + 3)).toBe(true);
      expect(store.remove(ALICE, 'c1')).toBe(true);
      expect(store.list(ALICE)).toEqual([]);
      expect(store.downVotes('hand_book')).toEqual([]);
    });

    it('records votes on own answers only and lists recent down votes per KB (names matched exactly)', () => {
      store.addTurn(ALICE, 'c1', webTurn(1, ['hand_book']), T0);
      store.addTurn(ALICE, 'c1', webTurn(2, ['handXbook']), T0 + 1);
      expect(store.vote(BOB, 'w-1', 'down', 'not mine', T0 + 2)).toBe(false);
      expect(store.vote(ALICE, 'w-1', 'up', null, T0 + 2)).toBe(true);
      expect(store.vote(ALICE, 'w-1', 'down', 'outdated', T0 + 3)).toBe(true);
      expect(store.vote(ALICE, 'w-2', 'down', null, T0 + 4)).toBe(true);
      expect(store.turns(ALICE, 'c1')[0]?.vote).toEqual({ vote: 'down', comment: 'outdated' });
      expect(store.downVotes('hand_book')).toEqual([
        {
          answerId: 'w-1',
          platform: 'web',
          question: 'question 1 about 50% of_it',
          answer: 'answer 1',
          comment: 'outdated',
          createdAt: T0 + 3,
        },
      ]);
    });

    it("shows a person's chat-platform conversations read-only, with only their own turns", () => {
      const reader = new ChatHistoryReader(db);
      const who = { platform: 'slack', workspace: 'T1', user: 'U1', roles: [] };
      expect(reader.list(who)).toEqual([]);
      migrateRuntime(db);
      const chats = new ConversationStore(db);
      const key = { platform: 'slack', workspace: 'T1', channel: 'C1', thread: '1700.1' };
      const answer = { citations: [], sources: ['kb'], mode: 'kb' as const };
      chats.addTurn(key, { user: 'U1', question: 'mine', answer: 'a1', answerId: 'c-1', ...answer }, T0);
      chats.addTurn(key, { user: 'U2', question: 'theirs', answer: 'a2', answerId: 'c-2', ...answer }, T0 + 1);
      const [listed] = reader.list(who);
      expect(listed).toMatchObject({ title: 'mine', readOnly: true, platform: 'slack' });
      expect(reader.turns(who, listed?.id ?? '')?.map((t) => t.question)).toEqual(['mine']);
      expect(reader.turns({ ...who, user: 'U3' }, listed?.id ?? '')).toBeUndefined();
      new FeedbackStore(db).record({ answerId: 'c-2', platform: 'slack', user: 'U1', vote: 'down' }, T0 + 5);
      expect(reader.downVotes('kb')).toMatchObject([{ answerId: 'c-2', platform: 'slack', question: 'theirs', comment: null }]);
      expect(reader.downVotes('k_')).toEqual([]);
    });
  });
}
