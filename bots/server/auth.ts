import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { TeamKbError } from '../../core/errors.js';
import type { Principal } from '../../core/principal.js';
import { API_KEY_PREFIX } from '../access/api-keys.js';
import type { Access } from '../access/index.js';
import { checkBrowserRequest } from './browser-guard.js';
import { SESSION_COOKIE, sessionCookie } from './session-cookie.js';
import { prefersHtml, signedOutPage } from './signed-out-page.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who the request acts as; set by the auth hook, absent only on open paths. */
    principal?: Principal;
    /** How the principal was established: cookie-borne ones need the cross-site checks. */
    credential?: 'key' | 'session' | 'proxy' | 'local';
  }
}

export interface AuthSettings {
  /** TEAMKB_API_KEY: one admin key for simple set-ups. */
  apiKey?: string;
  publicUrl?: string;
  allowedHosts: string[];
  /** Addresses of reverse proxies whose user header is believed. */
  trustedProxies: string[];
  /** e.g. X-Forwarded-User; honoured only from trustedProxies. */
  trustedUserHeader?: string;
}

/** TEAMKB_API_KEY as a principal: every scope, every KB. */
const ADMIN_KEY: Principal = { kind: 'key', name: 'TEAMKB_API_KEY', scopes: ['read', 'write', 'admin'] };

/** Compares in constant time, so response timing does not reveal how much of a guessed key was right. */
const sameSecret = (given: string, expected: string) =>
  timingSafeEqual(createHash('sha256').update(given).digest(), createHash('sha256').update(expected).digest());

const bare = (address: string | undefined) => (address ?? '').replace(/^::ffff:/, '');
const isLoopback = (address: string) => address === '::1' || /^127\./.test(address);

function cookieValue(req: FastifyRequest, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

/**
 * The one 401 of every route: API clients get {error}, a browser opening a page (a passage, a
 * file's /view) gets a page saying how to sign in, with the same status.
 */
function unauthenticated(req: FastifyRequest, reply: FastifyReply, message: string, apiKeySet: boolean) {
  reply.status(401).header('vary', 'Accept').header('cache-control', 'no-store');
  if (prefersHtml(req)) return reply.type('text/html; charset=utf-8').send(signedOutPage({ reason: message, apiKeySet }));
  return reply.send({ error: { code: 'PERMISSION_DENIED', message } });
}

/**
 * Works out the principal of every request, once, before any route runs:
 * 1. `Authorization: Bearer` — TEAMKB_API_KEY or a named key (a wrong key is refused outright);
 * 2. the session cookie of a web sign-in (rotated here when due);
 * 3. the trusted proxy's user header, only from a trusted proxy address;
 * 4. a browser on this machine, while no TEAMKB_API_KEY is configured (`npm start` for one person).
 * No other header chooses a user.
 */
export function installAuth(
  app: FastifyInstance,
  deps: { access: Access; settings: AuthSettings; openPaths: Set<string>; webhookPaths: Set<string> },
): void {
  const { access, settings } = deps;
  const secure = (settings.publicUrl ?? '').startsWith('https:');

  function identify(req: FastifyRequest, reply: FastifyReply): Principal | 'refused' | undefined {
    const authorization = req.headers.authorization;
    if (authorization !== undefined) {
      const key = /^Bearer (.+)$/.exec(authorization)?.[1];
      if (key && settings.apiKey && sameSecret(key, settings.apiKey)) {
        req.credential = 'key';
        return ADMIN_KEY;
      }
      const named = key ? access.keys.authenticate(key) : undefined;
      if (named) {
        req.credential = 'key';
        return named;
      }
      // OpenAI clients always send some key: with no TEAMKB_API_KEY set, a key that is not one of
      // ours is no credential at all (the request may still be the local browser's).
      if (settings.apiKey || key?.startsWith(API_KEY_PREFIX)) return 'refused';
    }
    const token = cookieValue(req, SESSION_COOKIE);
    const session = token ? access.sessions.use(token) : undefined;
    if (session) {
      if (session.rotated) reply.header('set-cookie', sessionCookie(session.rotated, secure));
      req.credential = 'session';
      return { kind: 'user', via: 'session', identity: session.identity };
    }
    const remote = bare(req.socket.remoteAddress);
    const fromProxy = settings.trustedProxies.map(bare).includes(remote);
    const header = settings.trustedUserHeader?.toLowerCase();
    const proxied = header ? req.headers[header] : undefined;
    if (fromProxy && typeof proxied === 'string' && proxied.trim()) {
      req.credential = 'proxy';
      const user = proxied.trim();
      return {
        kind: 'user',
        via: 'proxy',
        identity: { platform: 'web', workspace: 'proxy', user, roles: [], displayName: user },
      };
    }
    // A loopback connection that came through a proxy is not a local user.
    const forwarded = req.headers['x-forwarded-for'] || req.headers.forwarded || req.headers['x-real-ip'];
    if (!settings.apiKey && isLoopback(remote) && !fromProxy && !forwarded) {
      req.credential = 'local';
      return { kind: 'local' };
    }
    return undefined;
  }

  app.addHook('onRequest', async (req, reply) => {
    const path = req.url.split('?')[0] ?? '';
    // Platforms sign their webhooks; they carry no browser credentials to protect.
    if (deps.webhookPaths.has(path)) return;
    const problem = checkBrowserRequest(req, settings, 'host');
    if (problem) return reply.status(403).send({ error: { code: 'PERMISSION_DENIED', message: problem } });
    const principal = identify(req, reply);
    if (principal === 'refused') {
      return unauthenticated(req, reply, 'Wrong or revoked API key (Authorization: Bearer <key>).', Boolean(settings.apiKey));
    }
    req.principal = principal;
    if (req.credential !== 'key') {
      const crossSite = checkBrowserRequest(req, settings, 'origin');
      if (crossSite) return reply.status(403).send({ error: { code: 'PERMISSION_DENIED', message: crossSite } });
    }
    if (!principal && !deps.openPaths.has(path)) {
      return unauthenticated(
        req,
        reply,
        settings.apiKey
          ? 'Missing API key (Authorization: Bearer <key>), or sign in with `/kb web` in chat.'
          : 'Sign in first: send `/kb web` to the bot in a direct message, or use an API key (Authorization: Bearer <key>).',
        Boolean(settings.apiKey),
      );
    }
  });
}

/** The request's principal; routes behind the auth hook always have one. */
export function principalOf(req: FastifyRequest): Principal {
  if (!req.principal) throw new TeamKbError('PERMISSION_DENIED', 'Sign in first (`/kb web` in chat) or use an API key.');
  return req.principal;
}
