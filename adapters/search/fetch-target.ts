import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { TeamKbError } from '../../core/errors.js';
import { type AddressClass, classifyAddress, classifyHostname, describeAddressClass } from '../../core/web/address-class.js';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a hostname to every address it has (the default uses the system resolver). */
export type HostLookup = (hostname: string) => Promise<ResolvedAddress[]>;

export interface TargetPolicy {
  lookup?: HostLookup;
  /** Lets tests reach 127.0.0.1 doubles. Never set from configuration. */
  allowLoopback?: boolean;
}

export const systemLookup: HostLookup = async (hostname) => {
  const found = await dnsLookup(hostname, { all: true, verbatim: true });
  return found.map((entry) => ({ address: entry.address, family: entry.family === 6 ? 6 : 4 }));
};

function isAllowed(kind: AddressClass, policy: TargetPolicy): boolean {
  return kind === 'public' || (kind === 'loopback' && policy.allowLoopback === true);
}

function forbidden(host: string, kind: AddressClass, address?: string): TeamKbError {
  const why =
    address && address !== host
      ? `it resolves to ${address}, ${describeAddressClass(kind)}`
      : `it is ${describeAddressClass(kind)}`;
  return new TeamKbError('FETCH_FORBIDDEN', `Refusing to fetch from ${host}: ${why}; only public web addresses are fetched`, {
    details: { host, address, addressClass: kind },
  });
}

/** The URL's host without IPv6 brackets. */
export function bareHost(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '');
}

/**
 * Checks a URL's scheme and every address its host resolves to, and returns the one address to
 * connect to. Connecting to exactly this address (not resolving again) keeps DNS rebinding out.
 */
export async function resolveFetchTarget(url: URL, policy: TargetPolicy): Promise<ResolvedAddress> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TeamKbError(
      'FETCH_FORBIDDEN',
      `Refusing to fetch ${url.protocol.replace(':', '')} URL ${url.href}: only http and https pages are fetched`,
      {
        details: { url: url.href },
      },
    );
  }
  const host = bareHost(url);
  if (isIP(host)) {
    const kind = classifyAddress(host);
    if (!isAllowed(kind, policy)) throw forbidden(host, kind);
    return { address: host, family: isIP(host) === 6 ? 6 : 4 };
  }
  const named = classifyHostname(host);
  if (named && !isAllowed(named, policy)) throw forbidden(host, named);

  let addresses: ResolvedAddress[];
  try {
    addresses = await (policy.lookup ?? systemLookup)(host);
  } catch (err) {
    throw new TeamKbError('FETCH_FAILED', `Could not resolve ${host}: ${(err as Error).message}`, {
      cause: err,
      details: { host, reason: 'dns' },
    });
  }
  if (addresses.length === 0) {
    throw new TeamKbError('FETCH_FAILED', `Could not resolve ${host}: no addresses`, { details: { host, reason: 'dns' } });
  }
  for (const entry of addresses) {
    const kind = classifyAddress(entry.address);
    if (!isAllowed(kind, policy)) throw forbidden(host, kind, entry.address);
  }
  return addresses[0] as ResolvedAddress;
}
