import { isIP } from 'node:net';
import type { FastifyRequest } from 'fastify';

interface GuardSettings {
  publicUrl?: string;
  allowedHosts: string[];
}

const LOCAL_NAMES = new Set(['localhost', 'localhost.localdomain']);
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function hostnameOf(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']'));
  return h.replace(/:\d+$/, '');
}

/**
 * A DNS-rebinding page reaches this server under the attacker's host name, so names must be ours:
 * TEAMKB_PUBLIC_URL's host, server.allowedHosts, localhost. Bare IP addresses cannot be rebound.
 */
function hostAllowed(host: string | undefined, settings: GuardSettings): boolean {
  if (!host) return false;
  const name = hostnameOf(host);
  if (isIP(name) || LOCAL_NAMES.has(name)) return true;
  if (settings.publicUrl && new URL(settings.publicUrl).hostname.toLowerCase() === name) return true;
  return settings.allowedHosts.some((allowed) => hostnameOf(allowed) === name);
}

/**
 * Why a browser request must be refused, or undefined. `host`: the Host header names this server.
 * `origin`: a state-changing request carrying ambient credentials (session cookie, or being the
 * local browser) comes from our own pages — Sec-Fetch-Site where the browser sends it, else Origin.
 * Clients that send neither (curl, SDKs) are not browsers and cannot be driven cross-site.
 */
export function checkBrowserRequest(req: FastifyRequest, settings: GuardSettings, check: 'host' | 'origin'): string | undefined {
  if (check === 'host') {
    if (hostAllowed(req.headers.host, settings)) return undefined;
    return `Host "${req.headers.host ?? ''}" is not an address of this server. Set TEAMKB_PUBLIC_URL (or server.allowedHosts) to the address people use.`;
  }
  if (!UNSAFE.has(req.method)) return undefined;
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string' && site !== 'same-origin' && site !== 'none') {
    return 'Cross-site request refused: state-changing requests must come from TeamKB’s own pages.';
  }
  const origin = req.headers.origin;
  if (origin !== undefined) {
    let originHost: string | undefined;
    try {
      originHost = origin === 'null' ? undefined : new URL(origin).host.toLowerCase();
    } catch {
      originHost = undefined;
    }
    const ours = [
      (req.headers.host ?? '').toLowerCase(),
      settings.publicUrl ? new URL(settings.publicUrl).host.toLowerCase() : '',
    ];
    if (!originHost || !ours.includes(originHost)) {
      return `Cross-site request refused: origin ${origin} is not this server.`;
    }
  }
  return undefined;
}
