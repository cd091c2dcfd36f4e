import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncomingEvent, ReplyPart } from '../../core/chat.js';
import type { Identity } from '../../core/principal.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { readSse } from './helpers/http.js';

/**
 * One access matrix — principal × KB kind × action — asserted on every surface: REST, the
 * OpenAI-compatible API, the web conversations API and the chat runtime. Expectations are written
 * out here, not derived from the policy, so a change of rules shows up as a failing cell.
 */
type Kind = 'pub' | 'res' | 'priv' | 'tmp';
type Action = 'see' | 'search' | 'download' | 'upload' | 'manage';
type Who = 'local' | 'member' | 'owner' | 'admin' | 'readKey' | 'writeKey' | 'adminKey';

const ALL: Action[] = ['see', 'search', 'download', 'upload', 'manage'];
const READ: Action[] = ['see', 'search', 'download'];
/** What each principal may do to each kind (tmp: files the local browser shared in its conversation). */
const EXPECTED: Record<Who, Record<Kind, Action[]>> = {
  local: { pub: READ, res: [], priv: [], tmp: READ },
  member: { pub: READ, res: [], priv: [], tmp: [] },
  owner: { pub: READ, res: [], priv: ALL, tmp: [] },
  admin: { pub: ALL, res: ALL, priv: ALL, tmp: [] },
  readKey: { pub: READ, res: [], priv: [], tmp: [] },
  writeKey: { pub: [...READ, 'upload'], res: [], priv: [], tmp: [] },
  adminKey: { pub: ALL, res: ALL, priv: ALL, tmp: [] },
};
const WHO = Object.keys(EXPECTED) as Who[];
const KINDS: Kind[] = ['pub', 'res', 'priv', 'tmp'];

const slackUser = (user: string): Identity => ({ platform: 'slack', workspace: 'T1', user, roles: [] });

describe('one access policy on every surface', () => {
  let app: TestApp;
  const names: Record<Kind, string> = { pub: 'handbook', res: 'payroll', priv: 'diary', tmp: '' };
  const headers: Record<Who, Record<string, string>> = {} as never;
  /** A chunk of each KB's file, for its passage page (ids are stable when a KB is seeded again). */
  const chunks: Record<Kind, string> = { pub: '', res: '', priv: '', tmp: '' };

  async function seed(kind: Exclude<Kind, 'tmp'>): Promise<void> {
    const { kb } = app.core;
    await kb.createKb(names[kind], {
      visibility: kind === 'pub' ? 'public' : kind === 'res' ? 'restricted' : 'private',
      createdBy: 'slack:U-OWNER',
    });
    await kb.ingestUploads(names[kind], [
      { name: 'doc.md', bytes: Buffer.from(`# ${kind}\n\nalpha bravo ${kind} secret plans`) },
    ]);
    if (kind === 'res') {
      app.runtime?.services.bindings.bind(
        { platform: 'slack', workspace: 'T1', channel: 'C-RES' },
        names.res,
        'slack:U-ADMIN',
        0,
      );
    }
  }

  /** Signs in through the real flow: a one-time link as the bot would DM it, posted from our own page. */
  async function signIn(identity: Identity): Promise<Record<string, string>> {
    const { token } = app.access.links.issue(identity);
    const res = await fetch(`${app.url}/auth/signin`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: app.url, 'sec-fetch-site': 'same-origin' },
      body: new URLSearchParams({ t: token }),
      redirect: 'manual',
    });
    expect(res.status).toBe(303);
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] as string;
    return { cookie };
  }

  beforeAll(async () => {
    app = await startTestApp({ runtime: { admins: { slack: ['U-ADMIN'] } } });
    for (const kind of ['pub', 'res', 'priv'] as const) await seed(kind);
    // The local browser shares a file in its conversation: a temporary KB owned by it.
    const form = new FormData();
    form.append('text', 'what is in it?');
    form.append('files', new Blob(['alpha bravo temporary notes']), 'notes.md');
    const res = await fetch(`${app.url}/api/conversations/c1/messages`, { method: 'POST', body: form });
    for await (const _ of readSse(res));
    names.tmp = app.runtime?.services.tempKbs.all()[0] ?? '';
    expect(names.tmp).toMatch(/^tmp-/);
    for (const kind of KINDS) chunks[kind] = (await app.core.kb.search([names[kind]], 'alpha'))[0]?.chunk.id ?? '';

    headers.local = {};
    headers.member = await signIn(slackUser('U-MEMBER'));
    headers.owner = await signIn(slackUser('U-OWNER'));
    headers.admin = await signIn(slackUser('U-ADMIN'));
    const key = (name: string, scopes: Array<'read' | 'write' | 'admin'>) => ({
      authorization: `Bearer ${app.access.keys.create(name, scopes).key}`,
    });
    headers.readKey = key('reader', ['read']);
    headers.writeKey = key('writer', ['read', 'write']);
    headers.adminKey = key('ops', ['admin']);
  });
  afterAll(async () => {
    await app?.close();
  });

  const send = async (who: Who, method: string, path: string, body?: unknown) => {
    const init: RequestInit = { method, headers: { ...headers[who] } };
    if (body instanceof FormData) init.body = body;
    else if (body !== undefined) {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] = 'application/json';
    }
    const res = await fetch(`${app.url}${path}`, init);
    return { status: res.status, text: await res.text() };
  };

  /** Names a principal must never read anywhere: KBs it may not see (temporary ones included). */
  const invisible = (who: Who, except?: Kind) =>
    KINDS.filter((k) => k !== except && !(EXPECTED[who][k].includes('see') && k !== 'tmp')).map((k) => names[k]);

  const noLeak = (who: Who, text: string, asked?: Kind) => {
    for (const name of invisible(who, asked)) expect(text, `${who} reads the name ${name}`).not.toContain(name);
  };

  describe('REST /api/kb', () => {
    it.each(WHO)('%s: list, files, search, passages, download, view, upload, delete', async (who) => {
      const list = await send(who, 'GET', '/api/kb');
      expect(list.status).toBe(200);
      for (const kind of KINDS) {
        const listed = (JSON.parse(list.text).kbs as Array<{ name: string }>).some((kb) => kb.name === names[kind]);
        expect(listed, `${who} lists ${kind}`).toBe(kind !== 'tmp' && EXPECTED[who][kind].includes('see'));
      }
      noLeak(who, list.text);
      for (const kind of KINDS) {
        const kb = encodeURIComponent(names[kind]);
        const file = kind === 'tmp' ? 'notes.md' : 'doc.md';
        const may = (a: Action) => EXPECTED[who][kind].includes(a);
        const cells: Array<[Action, { status: number; text: string }]> = [
          ['see', await send(who, 'GET', `/api/kb/${kb}/files`)],
          ['search', await send(who, 'POST', `/api/kb/${kb}/search`, { query: 'alpha' })],
          ['download', await send(who, 'GET', `/api/kb/${kb}/files/${file}/download`)],
          ['search', await send(who, 'GET', `/kb/${kb}/passages/${chunks[kind]}`)],
          ['search', await send(who, 'GET', `/api/kb/${kb}/passages/${chunks[kind]}`)],
          ['download', await send(who, 'GET', `/api/kb/${kb}/files/${file}/view`)],
        ];
        const form = new FormData();
        form.append('files', new Blob(['alpha more']), `more-${who}.md`);
        cells.push(['upload', await send(who, 'POST', `/api/kb/${kb}/files`, form)]);
        for (const [action, res] of cells) {
          expect(res.status < 300, `${who} ${action} ${kind}: ${res.status} ${res.text.slice(0, 200)}`).toBe(may(action));
          if (!may(action)) expect([403, 404]).toContain(res.status);
          if (!may('see')) expect(res.status, `${who} ${action} ${kind} reads as missing`).toBe(404);
          noLeak(who, res.text, kind);
        }
        const del = await send(who, 'DELETE', `/api/kb/${kb}`);
        expect(del.status < 300, `${who} manage ${kind}: ${del.status} ${del.text}`).toBe(may('manage'));
        if (may('manage')) await seed(kind as Exclude<Kind, 'tmp'>);
      }
    });
  });

  describe('OpenAI-compatible /v1', () => {
    it.each(WHO)('%s: /v1/models and kb:<name> completions', async (who) => {
      const models = await send(who, 'GET', '/v1/models');
      for (const kind of KINDS) {
        const listed = models.text.includes(`"kb:${names[kind]}"`);
        expect(listed, `${who} /v1/models ${kind}`).toBe(kind !== 'tmp' && EXPECTED[who][kind].includes('search'));
        const answer = await send(who, 'POST', '/v1/chat/completions', {
          model: `kb:${names[kind]}`,
          messages: [{ role: 'user', content: 'alpha?' }],
        });
        expect(answer.status === 200, `${who} /v1 search ${kind}: ${answer.status}`).toBe(EXPECTED[who][kind].includes('search'));
        noLeak(who, answer.text, kind);
      }
      noLeak(who, models.text);
    });
  });

  describe('MCP server', () => {
    it.each(WHO)('%s: list_knowledge_bases and search', async (who) => {
      const client = new Client({ name: 'matrix', version: '1.0.0' });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(`${app.url}/mcp`), { requestInit: { headers: headers[who] } }),
      );
      const textOf = (r: Awaited<ReturnType<Client['callTool']>>) =>
        (r.content as Array<{ text?: string }>).map((c) => c.text ?? '').join('');
      const list = textOf(await client.callTool({ name: 'list_knowledge_bases', arguments: {} }));
      noLeak(who, list);
      for (const kind of KINDS) {
        // Temporary KBs are reached only through their conversation, never by name.
        const may = kind !== 'tmp' && EXPECTED[who][kind].includes('search');
        expect(list.includes(`- ${names[kind]}`), `${who} MCP lists ${kind}`).toBe(may);
        const found = await client.callTool({ name: 'search', arguments: { query: 'alpha', kbs: [names[kind]] } });
        expect(!found.isError, `${who} MCP search ${kind}: ${textOf(found)}`).toBe(may);
        noLeak(who, textOf(found), kind);
      }
      await client.close();
    });
  });

  describe('web conversations API', () => {
    const say = async (who: Who, text: string) => {
      const res = await send(who, 'POST', `/api/conversations/m-${who}/messages`, { text });
      return res.text;
    };
    it.each(WHO)('%s: /kb list, /kb search, /kb delete', async (who) => {
      const list = await say(who, '/kb list');
      noLeak(who, list);
      for (const kind of ['pub', 'res', 'priv'] as const) {
        const searched = await say(who, `/kb search ${names[kind]} alpha`);
        expect(searched.includes('Passages for'), `${who} conversation search ${kind}`).toBe(
          EXPECTED[who][kind].includes('search'),
        );
        noLeak(who, searched, kind);
        const del = await say(who, `/kb delete ${names[kind]}`);
        // Deleting from the web always asks for the button first; only managers get that far.
        expect(del.includes('event: buttons'), `${who} conversation delete ${kind}`).toBe(EXPECTED[who][kind].includes('manage'));
      }
    });
  });

  describe('chat runtime', () => {
    async function chat(user: string, channel: string, text: string): Promise<string> {
      const parts: ReplyPart[] = [];
      const event: IncomingEvent = {
        kind: 'command',
        platform: 'slack',
        workspace: 'T1',
        channel,
        user,
        isDm: channel.startsWith('D'),
        eventId: `${user}-${channel}-${text}-${Math.random()}`,
        text,
        attachments: [],
      };
      await app.runtime?.handle(event, { write: async (p) => void parts.push(p), end: async () => {} });
      return JSON.stringify(parts);
    }
    const cases: Array<[string, string, Record<Kind, boolean>]> = [
      ['U-MEMBER', 'C-RES', { pub: true, res: true, priv: false, tmp: false }],
      ['U-MEMBER', 'C-OTHER', { pub: true, res: false, priv: false, tmp: false }],
      ['U-OWNER', 'D-OWNER', { pub: true, res: false, priv: true, tmp: false }],
      // Admins manage everything, but in chat search only what the channel may use.
      ['U-ADMIN', 'C-OTHER', { pub: true, res: false, priv: false, tmp: false }],
    ];
    it.each(cases)('%s in %s searches only what that channel may use', async (user, channel, expected) => {
      for (const kind of KINDS) {
        const text = await chat(user, channel, `search ${names[kind]} alpha`);
        const content = kind === 'tmp' ? 'temporary notes' : `${kind} secret plans`;
        expect(text.includes(content), `${user}@${channel} search ${kind}`).toBe(expected[kind]);
      }
      const list = await chat(user, channel, 'list');
      expect(list).not.toContain(names.tmp);
      if (user !== 'U-ADMIN') for (const kind of KINDS) if (!expected[kind]) expect(list).not.toContain(names[kind]);
    });

    it('autocomplete names only what the channel may use', () => {
      expect(app.runtime?.kbNames({ platform: 'slack', workspace: 'T1', channel: 'C-OTHER' }).sort()).toEqual([names.pub]);
      expect(app.runtime?.kbNames({ platform: 'slack', workspace: 'T1', channel: 'C-RES' }).sort()).toEqual(
        [names.pub, names.res].sort(),
      );
    });
  });
});
