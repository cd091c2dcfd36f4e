import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionStore } from '../../bots/access/sessions.js';
import type { ReplyPart } from '../../core/chat.js';
import { startTestApp, type TestApp } from './helpers/app.js';

const member = { platform: 'slack', workspace: 'T1', user: 'U-MEMBER', roles: [], displayName: 'Mia <b>' };

/** inject() connects from 127.0.0.1, like a browser on the same machine. */
const inject = (app: TestApp, opts: InjectOptions) => app.server.inject(opts);

describe('web sign-in, sessions and the local browser', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({
      runtime: { admins: { slack: ['U-ADMIN'] } },
      auth: { trustedProxies: ['10.0.0.5'], trustedUserHeader: 'X-Forwarded-User', publicUrl: 'https://kb.example.com' },
    });
    await app.core.kb.createKb('handbook', {});
  });
  afterAll(async () => {
    await app?.close();
  });

  const signIn = async (token: string, extra: Record<string, string> = {}) =>
    inject(app, {
      method: 'POST',
      url: '/auth/signin',
      headers: { 'content-type': 'application/x-www-form-urlencoded', host: 'kb.example.com', ...extra },
      payload: `t=${encodeURIComponent(token)}`,
    });

  it('signs in once with a link from chat: confirmation page, HttpOnly SameSite=Lax cookie, then the link is spent', async () => {
    const { token } = app.access.links.issue(member);
    const page = await inject(app, { method: 'GET', url: `/auth/signin?t=${token}`, headers: { host: 'kb.example.com' } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Mia &lt;b&gt; (slack)');
    expect(page.body).not.toMatch(/<script|style=|\son[a-z]+=/);
    // Opening the page (a link preview does that) does not use the link up.
    const first = await signIn(token);
    expect(first.statusCode).toBe(303);
    const cookie = String(first.headers['set-cookie']);
    expect(cookie).toMatch(/^teamkb_session=[\w-]{40,}; Path=\/; HttpOnly; SameSite=Lax; Secure$/);
    expect((await signIn(token)).statusCode).toBe(410);
    const me = await inject(app, { method: 'GET', url: '/auth/me', headers: { cookie: cookie.split(';')[0] as string } });
    expect(me.json()).toMatchObject({ signedIn: true, kind: 'session', admin: false });
  });

  it('/kb web in a chat DM links the browser to the same identity and admin rights; in a channel it sends no link', async () => {
    const ask = async (channel: string, isDm: boolean) => {
      const parts: ReplyPart[] = [];
      await app.runtime?.handle(
        {
          kind: 'command',
          text: 'web',
          platform: 'slack',
          workspace: 'T1',
          channel,
          user: 'U-ADMIN',
          userName: 'Ada',
          isDm,
          eventId: `login-${channel}`,
          attachments: [],
        },
        { write: async (p) => void parts.push(p), end: async () => {} },
      );
      return JSON.stringify(parts);
    };
    expect(await ask('C-GENERAL', false)).not.toContain('/auth/signin');
    const dm = await ask('D-ADA', true);
    const link = /\((https?:\/\/[^)]+\/auth\/signin\?t=[^)]+)\)/.exec(dm)?.[1] as string;
    expect(link).toContain('https://kb.example.com/auth/signin?t=');
    const token = decodeURIComponent(new URL(link).searchParams.get('t') as string);
    const signed = await signIn(token);
    const cookie = String(signed.headers['set-cookie']).split(';')[0] as string;
    const me = await inject(app, { method: 'GET', url: '/auth/me', headers: { cookie } });
    expect(me.json()).toMatchObject({ signedIn: true, kind: 'session', name: 'Ada (slack)', admin: true });
    const created = await inject(app, {
      method: 'POST',
      url: '/api/kb',
      headers: { cookie, origin: 'https://kb.example.com', host: 'kb.example.com' },
      payload: { name: 'ada-notes' },
    });
    expect(created.statusCode).toBe(201);
  });

  it('refuses expired links, rotates the session token and signs out for good', async () => {
    const { token } = app.access.links.issue(member);
    const session = app.access.sessions.open(member);
    expect(app.access.sessions.use(session)?.rotated).toBeUndefined();
    // Rotation: past the rotate interval a use hands out a new token; the old one stops after a short grace.
    let now = Date.now();
    const clocked = new SessionStore(app.core.db, { ttlMs: 3_600_000, rotateMs: 60_000 }, () => now);
    const old = clocked.open(member);
    now += 120_000;
    const next = clocked.use(old)?.rotated as string;
    expect(next).toMatch(/^[\w-]{40,}$/);
    expect(clocked.use(old)?.identity.user).toBe('U-MEMBER');
    now += 61_000;
    expect(clocked.use(old)).toBeUndefined();
    expect(clocked.use(next)?.identity.user).toBe('U-MEMBER');
    now += 3_600_000;
    expect(clocked.use(next)).toBeUndefined();
    expect(app.access.links.consume(token)).toMatchObject({ user: 'U-MEMBER' });
    expect(app.access.links.consume(token)).toBeUndefined();
    const out = await inject(app, {
      method: 'POST',
      url: '/auth/signout',
      headers: { cookie: `teamkb_session=${session}`, host: 'kb.example.com' },
    });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toContain('Max-Age=0');
    expect(app.access.sessions.use(session)).toBeUndefined();
  });

  it('lets no client header choose a user: X-TeamKB-User and proxy headers from untrusted addresses are ignored', async () => {
    const forged = await inject(app, {
      method: 'POST',
      url: '/api/conversations/x1/messages',
      headers: { 'x-teamkb-user': 'U-ADMIN', 'x-forwarded-user': 'U-ADMIN', 'content-type': 'application/json' },
      payload: { text: '/kb delete handbook --yes' },
    });
    expect(forged.body).toContain('Only knowledge-base admins');
    expect(app.core.kb.listKbs().map((k) => k.name)).toContain('handbook');
    // The trusted proxy's header names the user (as a "web" identity).
    const proxied = await inject(app, {
      method: 'GET',
      url: '/auth/me',
      remoteAddress: '10.0.0.5',
      headers: { 'x-forwarded-user': 'alice' },
    });
    expect(proxied.json()).toMatchObject({ signedIn: true, kind: 'proxy', name: 'alice (web)' });
    // A loopback connection that came through some proxy is not the local user.
    const viaProxy = await inject(app, { method: 'GET', url: '/api/kb', headers: { 'x-forwarded-for': '203.0.113.9' } });
    expect(viaProxy.statusCode).toBe(401);
    const remote = await inject(app, { method: 'GET', url: '/api/kb', remoteAddress: '203.0.113.9' });
    expect(remote.statusCode).toBe(401);
    expect(remote.json().error.message).toContain('/kb web');
  });

  it('refuses cross-site state changes and foreign Host names, and sends security headers', async () => {
    const post = (headers: Record<string, string>) =>
      inject(app, {
        method: 'POST',
        url: '/api/conversations/x2/messages',
        headers: { 'content-type': 'application/json', ...headers },
        payload: { text: '/kb list' },
      });
    expect((await post({ origin: 'https://evil.example', host: 'localhost:7860' })).statusCode).toBe(403);
    expect((await post({ 'sec-fetch-site': 'cross-site' })).statusCode).toBe(403);
    expect((await post({ 'sec-fetch-site': 'same-site' })).statusCode).toBe(403);
    expect(
      (await post({ origin: 'http://localhost:7860', host: 'localhost:7860', 'sec-fetch-site': 'same-origin' })).statusCode,
    ).toBe(200);
    expect((await post({ origin: 'https://kb.example.com', host: '127.0.0.1:7860' })).statusCode).toBe(200);
    // DNS rebinding: the attacker's name resolving to us.
    const rebound = await inject(app, { method: 'GET', url: '/api/kb', headers: { host: 'attacker.example:7860' } });
    expect(rebound.statusCode).toBe(403);
    expect(rebound.json().error.message).toContain('TEAMKB_PUBLIC_URL');
    const page = await inject(app, { method: 'GET', url: '/' });
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
  });

  it('the web console never inlines scripts, styles or event handlers (the CSP would block them)', async () => {
    for (const file of ['/', '/app.js', '/chat.js', '/conversation.js', '/attachments.js', '/answer-view.js']) {
      const body = (await inject(app, { method: 'GET', url: file })).body;
      expect(body, file).not.toMatch(/<script>|<script(?![^>]*\bsrc=)[^>]*>|<style|\son[a-z]+=["']|style="/i);
    }
  });
});

describe('the local browser with no admins configured and no API key', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ runtime: { admins: {}, adminRoles: {} } });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('is the admin of a single-user set-up: creates and deletes KBs from this machine only', async () => {
    const created = await inject(app, { method: 'POST', url: '/api/kb', payload: { name: 'notes' } });
    expect(created.statusCode).toBe(201);
    expect((await inject(app, { method: 'GET', url: '/auth/me' })).json()).toMatchObject({ kind: 'local', admin: true });
    const remote = await inject(app, { method: 'DELETE', url: '/api/kb/notes', remoteAddress: '192.168.1.20' });
    expect(remote.statusCode).toBe(401);
    expect((await inject(app, { method: 'DELETE', url: '/api/kb/notes' })).statusCode).toBe(204);
  });
});

describe('the local browser once admins are configured', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ runtime: { admins: { slack: ['U-ADMIN'] } } });
    await app.core.kb.createKb('handbook', {});
  });
  afterAll(async () => {
    await app?.close();
  });

  it('reads and chats but cannot manage', async () => {
    expect((await inject(app, { method: 'GET', url: '/api/kb' })).json().kbs).toHaveLength(1);
    expect((await inject(app, { method: 'POST', url: '/api/kb', payload: { name: 'x' } })).statusCode).toBe(403);
    expect((await inject(app, { method: 'DELETE', url: '/api/kb/handbook' })).statusCode).toBe(403);
  });
});
