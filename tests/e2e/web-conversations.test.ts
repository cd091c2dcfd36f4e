import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReplyPart } from '../../core/chat.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { VPN_GUIDE } from './helpers/corpus.js';
import { createKbWithFiles } from './helpers/http.js';

const alice = { platform: 'slack', workspace: 'T1', user: 'U-ALICE', roles: [], displayName: 'Alice' };
const bob = { platform: 'slack', workspace: 'T1', user: 'U-BOB', roles: [], displayName: 'Bob' };
const HOST = 'kb.example.com';

/** Server-sent events of a response body, as {event, data}. */
function events(body: string) {
  return body
    .split('\n\n')
    .filter((b) => b.includes('data: '))
    .map((b) => ({
      event: /^event: (.*)$/m.exec(b)?.[1],
      data: JSON.parse(
        b
          .split('\n')
          .find((l) => l.startsWith('data: '))
          ?.slice(6) ?? 'null',
      ),
    }));
}

describe('web conversations: kept per signed-in person, searchable, renamable, deletable, voted on', () => {
  let app: TestApp;
  let cookies: { alice: string; bob: string };
  beforeAll(async () => {
    app = await startTestApp({
      runtime: { admins: { slack: ['U-ALICE'], web: ['local'] } },
      auth: { publicUrl: `https://${HOST}` },
    });
    await createKbWithFiles(app.url, 'handbook', [{ name: 'vpn.md', bytes: VPN_GUIDE }]);
    cookies = {
      alice: `teamkb_session=${app.access.sessions.open(alice)}`,
      bob: `teamkb_session=${app.access.sessions.open(bob)}`,
    };
  });
  afterAll(async () => {
    await app?.close();
  });

  const as = (who: keyof typeof cookies, opts: InjectOptions) =>
    app.server.inject({
      ...opts,
      headers: { cookie: cookies[who], host: HOST, origin: `https://${HOST}`, ...(opts.headers ?? {}) },
    });
  const ask = async (who: keyof typeof cookies, conversation: string, question: string, extra = {}) => {
    const res = await as(who, {
      method: 'POST',
      url: '/api/chat',
      payload: { mode: 'kb', question, kbs: ['handbook'], conversation, ...extra },
    });
    return events(res.body).find((e) => e.event === 'done')?.data.answer;
  };

  it('keeps each question and answer with its mode and KB, visible only to the same person', async () => {
    const first = await ask('alice', 'c-one', 'How often is the VPN key rotated?');
    expect(first.answerId).toEqual(expect.any(String));
    await ask('alice', 'c-one', 'And the old key?');

    const list = (await as('alice', { method: 'GET', url: '/api/conversations' })).json();
    expect(list.conversations).toMatchObject([
      { id: 'c-one', title: 'How often is the VPN key rotated?', mode: 'kb', kbs: ['handbook'], readOnly: false },
    ]);
    const opened = (await as('alice', { method: 'GET', url: '/api/conversations/c-one' })).json();
    expect(opened.turns.map((t: { question: string }) => t.question)).toEqual([
      'How often is the VPN key rotated?',
      'And the old key?',
    ]);
    expect(opened.turns[0].answer.markdown).toContain('90 days');
    expect(opened.turns[0].elapsedMs).toEqual(expect.any(Number));

    expect((await as('bob', { method: 'GET', url: '/api/conversations' })).json().conversations).toEqual([]);
    expect((await as('bob', { method: 'GET', url: '/api/conversations/c-one' })).statusCode).toBe(404);
    expect((await as('bob', { method: 'DELETE', url: '/api/conversations/c-one' })).statusCode).toBe(204);
    expect((await as('alice', { method: 'GET', url: '/api/conversations/c-one' })).statusCode).toBe(200);
  });

  it('searches, renames, regenerates in place and deletes', async () => {
    await ask('alice', 'c-two', 'Where are the expense rules?');
    await ask('alice', 'c-two', 'And the VPN key?');
    const search = async (q: string) =>
      (await as('alice', { method: 'GET', url: `/api/conversations?q=${encodeURIComponent(q)}` }))
        .json()
        .conversations.map((c: { id: string }) => c.id);
    expect(await search('expense')).toEqual(['c-two']);
    expect(await search('rotated')).toEqual(['c-one']);

    const renamed = await as('alice', { method: 'PATCH', url: '/api/conversations/c-two', payload: { title: 'Expenses' } });
    expect(renamed.statusCode).toBe(200);
    expect(await search('Expenses')).toEqual(['c-two']);

    const before = (await as('alice', { method: 'GET', url: '/api/conversations/c-two' })).json().turns;
    const again = await ask('alice', 'c-two', before[0].question, { replaces: before[0].answer.answerId });
    const after = (await as('alice', { method: 'GET', url: '/api/conversations/c-two' })).json().turns;
    // The new answer takes the old one's place: still before the later question, also after a reload.
    expect(after.map((t: { answer: { answerId: string } }) => t.answer.answerId)).toEqual([
      again.answerId,
      before[1].answer.answerId,
    ]);
    expect(after.map((t: { question: string }) => t.question)).toEqual(['Where are the expense rules?', 'And the VPN key?']);

    expect((await as('alice', { method: 'DELETE', url: '/api/conversations/c-two' })).statusCode).toBe(204);
    expect(await search('')).toEqual(['c-one']);
  });

  it('takes 👍/👎 with a comment on the asker’s own answers and lists 👎 per KB for those who manage it', async () => {
    const turns = (await as('alice', { method: 'GET', url: '/api/conversations/c-one' })).json().turns;
    const answerId = turns[0].answer.answerId;
    const vote = (who: keyof typeof cookies, body: object) =>
      as(who, { method: 'POST', url: '/api/conversations/c-one/feedback', payload: body });
    expect((await vote('bob', { answerId, vote: 'down' })).statusCode).toBe(404);
    expect((await vote('alice', { answerId, vote: 'down', comment: 'Missed the 24 hour grace period' })).statusCode).toBe(200);

    const reopened = (await as('alice', { method: 'GET', url: '/api/conversations/c-one' })).json();
    expect(reopened.turns[0].vote).toEqual({ vote: 'down', comment: 'Missed the 24 hour grace period' });

    const feedback = (await as('alice', { method: 'GET', url: '/api/kb/handbook/feedback' })).json().feedback;
    expect(feedback).toMatchObject([
      { answerId, question: 'How often is the VPN key rotated?', comment: 'Missed the 24 hour grace period' },
    ]);
    expect((await as('bob', { method: 'GET', url: '/api/kb/handbook/feedback' })).statusCode).toBe(403);
  });

  it('shows the same person their chat-platform conversations read-only, and nobody else', async () => {
    const parts: ReplyPart[] = [];
    await app.runtime?.handle(
      {
        kind: 'message',
        text: 'How do I rotate the VPN key?',
        platform: 'slack',
        workspace: 'T1',
        channel: 'D-ALICE',
        user: 'U-ALICE',
        userName: 'Alice',
        isDm: true,
        eventId: 'slack-1',
        attachments: [],
      },
      { write: async (p) => void parts.push(p), end: async () => {} },
    );
    expect(parts.some((p) => p.type === 'done')).toBe(true);
    const mine = (await as('alice', { method: 'GET', url: '/api/conversations' })).json().conversations;
    const chat = mine.find((c: { readOnly: boolean }) => c.readOnly);
    expect(chat).toMatchObject({ platform: 'slack', title: 'How do I rotate the VPN key?', readOnly: true });
    const opened = (await as('alice', { method: 'GET', url: `/api/conversations/${chat.id}` })).json();
    expect(opened.turns[0].question).toBe('How do I rotate the VPN key?');
    expect((await as('bob', { method: 'GET', url: '/api/conversations' })).json().conversations).toEqual([]);
    expect((await as('bob', { method: 'GET', url: `/api/conversations/${chat.id}` })).statusCode).toBe(404);
  });

  it('lists 👎 cast in a chat platform beside the web ones in the KB feedback, for those who manage it', async () => {
    const handle = (event: object) =>
      app.runtime?.handle(
        {
          platform: 'slack',
          workspace: 'T1',
          channel: 'C-TEAM',
          userName: 'Bob',
          isDm: false,
          attachments: [],
          ...event,
        } as never,
        { write: async () => {}, end: async () => {} },
      );
    const parts: ReplyPart[] = [];
    await app.runtime?.handle(
      {
        kind: 'command',
        text: 'ask handbook When does the old VPN key stop working?',
        platform: 'slack',
        workspace: 'T1',
        channel: 'D-BOB',
        user: 'U-BOB',
        userName: 'Bob',
        isDm: true,
        eventId: 'slack-2',
        attachments: [],
      },
      { write: async (p) => void parts.push(p), end: async () => {} },
    );
    const done = parts.find((p) => p.type === 'done');
    if (done?.type !== 'done') throw new Error('no answer');
    expect(done.answer.sources).toContain('handbook');
    await handle({ kind: 'action', action: 'feedback', value: `${done.answer.answerId}:down`, user: 'U-BOB', eventId: 'a-1' });

    const feedback = (await as('alice', { method: 'GET', url: '/api/kb/handbook/feedback' })).json().feedback;
    expect(feedback[0]).toMatchObject({
      answerId: done.answer.answerId,
      platform: 'slack',
      question: 'When does the old VPN key stop working?',
      comment: null,
    });
    expect(feedback.map((f: { platform: string }) => f.platform)).toContain('web');
    expect((await as('bob', { method: 'GET', url: '/api/kb/handbook/feedback' })).statusCode).toBe(403);
  });

  it('checks a new KB name with the rule and words that creating it would use', async () => {
    const check = async (name: string) =>
      (await as('alice', { method: 'GET', url: `/api/kb-names/check?name=${encodeURIComponent(name)}` })).json();
    expect(await check('team-notes')).toEqual({ ok: true, problem: null });
    const bad = await check('-notes');
    expect(bad.ok).toBe(false);
    const created = await as('alice', { method: 'POST', url: '/api/kb', payload: { name: '-notes' } });
    expect(created.json().error.message).toBe(bad.problem);
    expect((await check('HANDBOOK')).problem).toContain('already exists');
    expect((await as('bob', { method: 'GET', url: '/api/kb-names/check?name=x' })).statusCode).toBe(403);
  });
});
