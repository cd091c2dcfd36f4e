import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Identity } from '../../core/principal.js';
import type { Access } from '../access/index.js';
import { principalOf } from './auth.js';
import { clearedSessionCookie, SESSION_COOKIE, sessionCookie } from './session-cookie.js';

export const SIGNIN_PATH = '/auth/signin';
export const OPEN_AUTH_PATHS = [SIGNIN_PATH, '/auth/me'];

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/** A page without inline script or style (the CSP allows neither). */
const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
  `<title>${escapeHtml(title)} · TeamKB</title><link rel="stylesheet" href="/app.css"></head>` +
  `<body class="signin"><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;

const who = (id: Identity) => `${id.displayName ?? id.user} (${id.platform})`;

/**
 * Web sign-in with the one-time link the bot sends (`/kb web`). Opening the link shows who it
 * signs in as; the button posts the token, so link previews in chat apps cannot use it up.
 */
export async function signInRoutes(app: FastifyInstance, deps: { access: Access; secure: boolean }): Promise<void> {
  await app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
      done(null, Object.fromEntries(new URLSearchParams(String(body)))),
    );
    const expired = page(
      'This sign-in link cannot be used',
      '<p>It has expired or was used already. Send <code>/kb web</code> to the bot in a direct message for a new one.</p>',
    );

    scope.get(SIGNIN_PATH, { schema: { hide: true } }, async (req, reply) => {
      const token = z.object({ t: z.string().max(200).default('') }).parse(req.query).t;
      const identity = token ? deps.access.links.peek(token) : undefined;
      reply.type('text/html; charset=utf-8');
      if (!identity) return reply.status(410).send(expired);
      return page(
        'Sign in to TeamKB',
        `<form method="post" action="${SIGNIN_PATH}"><input type="hidden" name="t" value="${escapeHtml(token)}">` +
          `<p>Continue as <strong>${escapeHtml(who(identity))}</strong>? Admin rights and knowledge bases are the same as in chat.</p>` +
          `<button type="submit">Sign in</button></form>`,
      );
    });

    scope.post(SIGNIN_PATH, { schema: { hide: true } }, async (req, reply) => {
      const token = z.object({ t: z.string().max(200).default('') }).parse(req.body ?? {}).t;
      const identity = token ? deps.access.links.consume(token) : undefined;
      if (!identity) return reply.status(410).type('text/html; charset=utf-8').send(expired);
      const session = deps.access.sessions.open(identity);
      return reply.header('set-cookie', sessionCookie(session, deps.secure)).redirect('/', 303);
    });
  });

  app.get('/auth/me', { schema: { tags: ['auth'], summary: 'Who this request acts as' } }, async (req) => {
    const p = req.principal;
    if (!p) return { signedIn: false };
    const admin = deps.access.policy.isAdmin(p);
    if (p.kind === 'key') return { signedIn: true, kind: 'key', name: p.name, scopes: p.scopes, admin };
    if (p.kind === 'local') return { signedIn: false, kind: 'local', name: 'local browser', admin };
    return { signedIn: true, kind: p.via, name: who(p.identity), admin };
  });

  app.post('/auth/signout', { schema: { tags: ['auth'], summary: 'End this browser’s session' } }, async (req, reply) => {
    principalOf(req);
    const token = new RegExp(`(?:^|;\\s*)${SESSION_COOKIE}=([^;]+)`).exec(req.headers.cookie ?? '')?.[1];
    if (token) deps.access.sessions.close(token);
    return reply.header('set-cookie', clearedSessionCookie(deps.secure)).status(204).send();
  });
}
