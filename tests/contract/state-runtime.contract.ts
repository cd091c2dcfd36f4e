import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SqlDb } from '../../adapters/registry/sql-db.js';
import { ApiKeyStore } from '../../bots/access/api-keys.js';
import { migrateAccess } from '../../bots/access/migrations.js';
import { SessionStore, SignInLinks } from '../../bots/access/sessions.js';
import { BindingStore } from '../../bots/state/binding-store.js';
import { ConfirmationStore } from '../../bots/state/confirmation-store.js';
import { ConversationStore } from '../../bots/state/conversation-store.js';
import { DedupeStore } from '../../bots/state/dedupe-store.js';
import { FeedbackStore } from '../../bots/state/feedback-store.js';
import { migrateRuntime } from '../../bots/state/migrations.js';
import { TempKbStore } from '../../bots/state/temp-kb-store.js';

/** Epoch milliseconds well past 2^31, so a 32-bit column would fail. */
const T0 = Date.UTC(2026, 0, 1);
const KEY = { platform: 'slack', workspace: 'T1', channel: 'C1', thread: '' };
const THREAD = { ...KEY, thread: '1700.1' };
const ID = { platform: 'slack', workspace: 'T1', user: 'U1', roles: ['admin'] };

const turn = (n: number) => ({
  user: 'U1',
  question: `q${n}`,
  answer: `a${n}`,
  citations: [{ n: 1, file: 'f.md', snippet: '…' }],
  sources: ['kb'],
  mode: 'kb' as const,
  answerId: `ans-${n}`,
});

/** What the chat runtime's and access model's stores must do on every state engine. */
export function runtimeStateContract(name: string, open: (() => SqlDb) | undefined): void {
  (open ? describe : describe.skip)(`Runtime state contract: ${name}`, () => {
    let db: SqlDb;
    let time: number;
    const now = () => time;
    beforeEach(() => {
      db = (open as () => SqlDb)();
      migrateRuntime(db);
      migrateAccess(db);
      migrateRuntime(db);
      time = T0;
    });
    afterEach(() => db.close());

    it('dedupe: first delivery only, per platform, reclaimed after the window, purged', () => {
      const dedupe = new DedupeStore(db, 60_000);
      expect(dedupe.firstDelivery('slack', 'E1', T0)).toBe(true);
      expect(dedupe.firstDelivery('slack', 'E1', T0 + 1)).toBe(false);
      expect(dedupe.firstDelivery('discord', 'E1', T0)).toBe(true);
      expect(dedupe.firstDelivery('slack', '', T0)).toBe(true);
      expect(dedupe.firstDelivery('slack', 'E1', T0 + 60_000)).toBe(true);
      expect(dedupe.purge(T0 + 60_000 + 1)).toBe(1);
      expect(dedupe.purge(T0 + 200_000)).toBe(1);
    });

    it('conversations: ids, model, turns oldest first, forgetting per conversation and channel', () => {
      const conversations = new ConversationStore(db);
      const id = conversations.ensure(KEY, T0);
      expect(conversations.ensure(KEY, T0 + 5)).toBe(id);
      expect(typeof id).toBe('number');
      expect(conversations.idOf(THREAD)).toBeUndefined();
      expect(conversations.model(KEY)).toBeUndefined();
      conversations.setModel(KEY, 'qwen', T0);
      expect(conversations.model(KEY)).toBe('qwen');
      for (const n of [1, 2, 3]) conversations.addTurn(KEY, turn(n), T0 + n);
      conversations.addTurn(THREAD, turn(4), T0);
      expect(conversations.recentTurns(KEY, 2).map((t) => t.question)).toEqual(['q2', 'q3']);
      expect(conversations.recentTurns(KEY, 1)[0]).toEqual(turn(3));
      expect(conversations.hasAnswer('ans-4')).toBe(true);
      expect(conversations.hasAnswer('ans-9')).toBe(false);
      expect(conversations.channelConversationIds(KEY).sort()).toEqual([id, conversations.idOf(THREAD)].sort());
      expect(conversations.forget(KEY)).toBe(3);
      expect(conversations.forgetIds(conversations.channelConversationIds(KEY))).toBe(1);
      expect(conversations.recentTurns(THREAD, 5)).toEqual([]);
    });

    it('bindings, feedback and confirmations', () => {
      const bindings = new BindingStore(db);
      bindings.bind(KEY, 'docs', 'U1', T0);
      bindings.bind(KEY, 'hr', 'U2', T0);
      bindings.bind({ ...KEY, channel: 'C2' }, 'hr', 'U2', T0);
      expect(bindings.boundKb(KEY)).toBe('hr');
      expect(bindings.unbind(KEY)).toBe('hr');
      expect(bindings.boundKb(KEY)).toBeUndefined();
      expect(bindings.removeKb('hr')).toBe(1);

      const feedback = new FeedbackStore(db);
      feedback.record({ answerId: 'a', platform: 'slack', user: 'U1', vote: 'up' }, T0);
      feedback.record({ answerId: 'a', platform: 'slack', user: 'U2', vote: 'up' }, T0 + 1);
      feedback.record({ answerId: 'a', platform: 'slack', user: 'U1', vote: 'down' }, T0 + 2);
      expect(feedback.forAnswer('a').map((f) => `${f.user}:${f.vote}`)).toEqual(['U2:up', 'U1:down']);

      const confirmations = new ConfirmationStore(db);
      const c = { token: 't1', action: 'delete-kb' as const, kb: 'docs', platform: 'slack', user: 'U1', expiresAt: T0 + 10 };
      confirmations.add(c);
      confirmations.add({ ...c, token: 't2', expiresAt: T0 - 1 });
      expect(confirmations.peek('t1', T0)).toEqual(c);
      expect(confirmations.peek('t2', T0)).toBeUndefined();
      expect(confirmations.take('t1')).toBe(true);
      expect(confirmations.take('t1')).toBe(false);
      expect(confirmations.purge(T0)).toBe(1);
    });

    it('temporary KBs: owner, active, extend, expiry and insertion order', () => {
      const conversations = new ConversationStore(db);
      const temp = new TempKbStore(db);
      const a = conversations.ensure(KEY, T0);
      const b = conversations.ensure(THREAD, T0);
      temp.add('tmp-z', a, T0, T0 + 100, { owner: 'slack:T1:U1', channel: KEY });
      temp.add('tmp-a', a, T0, T0 + 50);
      temp.add('tmp-m', b, T0, T0 + 10);
      expect(temp.all()).toEqual(['tmp-z', 'tmp-a', 'tmp-m']);
      expect(temp.ownerOf('tmp-z')).toEqual({ owner: 'slack:T1:U1', channel: KEY });
      expect(temp.ownerOf('tmp-a')).toBeUndefined();
      expect(temp.active(b, T0)).toBe('tmp-m');
      expect(temp.active(b, T0 + 10)).toBeUndefined();
      temp.extend('tmp-m', T0 + 500);
      expect(temp.expired(T0 + 100)).toEqual(['tmp-z', 'tmp-a']);
      expect(temp.ofConversations([a, b]).sort()).toEqual(['tmp-a', 'tmp-m', 'tmp-z']);
      temp.remove('tmp-z');
      expect(temp.all()).toEqual(['tmp-a', 'tmp-m']);
    });

    it('sessions: open, use, rotate with grace, revoke everywhere, purge', () => {
      const sessions = new SessionStore(db, { ttlMs: 3_600_000, rotateMs: 60_000 }, now);
      const token = sessions.open(ID);
      expect(sessions.use(token)).toEqual({ identity: ID });
      time += 61_000;
      const used = sessions.use(token);
      expect(used?.rotated).toBeDefined();
      expect(sessions.use(used?.rotated as string)?.identity).toEqual(ID);
      time += 61_000;
      expect(sessions.use(token)).toBeUndefined();
      const other = sessions.open(ID);
      sessions.close(other);
      expect(sessions.use(other)).toBeUndefined();
      expect(sessions.revokeAll(ID)).toBeGreaterThanOrEqual(1);
      expect(sessions.use(used?.rotated as string)).toBeUndefined();
      sessions.open(ID);
      time += 3_600_001;
      expect(sessions.purge()).toBe(1);
    });

    it('sign-in links work once and not after expiry', () => {
      const links = new SignInLinks(db, 60_000, now);
      const { token, expiresAt } = links.issue(ID);
      expect(expiresAt).toBe(T0 + 60_000);
      expect(links.peek(token)).toEqual(ID);
      expect(links.consume(token)).toEqual(ID);
      expect(links.consume(token)).toBeUndefined();
      const late = links.issue(ID).token;
      time += 60_000;
      expect(links.peek(late)).toBeUndefined();
      expect(links.consume(late)).toBeUndefined();
      links.issue(ID);
      time += 60_000;
      expect(links.purge()).toBe(1);
    });

    it('API keys: created once by name, authenticate until revoked, listed oldest first', () => {
      const keys = new ApiKeyStore(db, now);
      const { key, info } = keys.create('ci-bot', ['read', 'write'], ['docs']);
      expect(info).toEqual({
        name: 'ci-bot',
        scopes: ['read', 'write'],
        kbs: ['docs'],
        createdAt: T0,
        lastUsedAt: null,
        revokedAt: null,
      });
      expect(() => keys.create('ci-bot', ['read'])).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
      time += 1;
      keys.create('Admin', ['admin']);
      expect(keys.authenticate(key)).toEqual({ kind: 'key', name: 'ci-bot', scopes: ['read', 'write'], kbs: ['docs'] });
      expect(keys.get('ci-bot')?.lastUsedAt).toBe(T0 + 1);
      expect(keys.authenticate('tkb_wrong')).toBeUndefined();
      expect(keys.revoke('ci-bot')).toBe(true);
      expect(keys.revoke('ci-bot')).toBe(false);
      expect(keys.authenticate(key)).toBeUndefined();
      expect(keys.list().map((k) => k.name)).toEqual(['ci-bot', 'Admin']);
    });
  });
}
