import { isIP } from 'node:net';

/** Why an address must not be fetched from the server side; 'public' is the only fetchable class. */
export type AddressClass =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'cloud-metadata'
  | 'carrier-grade-nat'
  | 'multicast'
  | 'unspecified'
  | 'broadcast'
  | 'reserved'
  | 'unique-local'
  | 'not-an-ip';

const ADDRESS_CLASS_WORDS: Record<AddressClass, string> = {
  public: 'a public address',
  loopback: 'a loopback address',
  private: 'a private network address',
  'link-local': 'a link-local address',
  'cloud-metadata': 'a cloud metadata endpoint',
  'carrier-grade-nat': 'a carrier-grade NAT address',
  multicast: 'a multicast address',
  unspecified: 'an unspecified address',
  broadcast: 'the broadcast address',
  reserved: 'a reserved address',
  'unique-local': 'an IPv6 unique-local address',
  'not-an-ip': 'not an IP address',
};

export function describeAddressClass(kind: AddressClass): string {
  return ADDRESS_CLASS_WORDS[kind];
}

type Ipv4Rule = [base: number, prefix: number, kind: AddressClass];

const IPV4_RULES: Ipv4Rule[] = [
  [ipv4ToInt('169.254.169.254'), 32, 'cloud-metadata'],
  [ipv4ToInt('100.100.100.200'), 32, 'cloud-metadata'],
  [ipv4ToInt('255.255.255.255'), 32, 'broadcast'],
  [ipv4ToInt('0.0.0.0'), 8, 'unspecified'],
  [ipv4ToInt('10.0.0.0'), 8, 'private'],
  [ipv4ToInt('100.64.0.0'), 10, 'carrier-grade-nat'],
  [ipv4ToInt('127.0.0.0'), 8, 'loopback'],
  [ipv4ToInt('169.254.0.0'), 16, 'link-local'],
  [ipv4ToInt('172.16.0.0'), 12, 'private'],
  [ipv4ToInt('192.0.0.0'), 24, 'reserved'],
  [ipv4ToInt('192.0.2.0'), 24, 'reserved'],
  [ipv4ToInt('192.88.99.0'), 24, 'reserved'],
  [ipv4ToInt('192.168.0.0'), 16, 'private'],
  [ipv4ToInt('198.18.0.0'), 15, 'reserved'],
  [ipv4ToInt('198.51.100.0'), 24, 'reserved'],
  [ipv4ToInt('203.0.113.0'), 24, 'reserved'],
  [ipv4ToInt('224.0.0.0'), 4, 'multicast'],
  [ipv4ToInt('240.0.0.0'), 4, 'reserved'],
];

function ipv4ToInt(ip: string): number {
  return ip.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
}

function inPrefix(value: number, base: number, prefix: number): boolean {
  const size = 2 ** (32 - prefix);
  return Math.floor(value / size) === Math.floor(base / size);
}

function classifyIpv4Int(value: number): AddressClass {
  for (const [base, prefix, kind] of IPV4_RULES) if (inPrefix(value, base, prefix)) return kind;
  return 'public';
}

/** Parses any textual IPv6 form (compressed, with a dotted IPv4 tail, with a zone id) into 8 groups. */
export function parseIpv6(text: string): number[] | undefined {
  const ip = text.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (isIP(ip) !== 6) return undefined;
  let head = ip;
  const tail: number[] = [];
  const dotted = ip.match(/^(.*:)(\d+\.\d+\.\d+\.\d+)$/);
  if (dotted) {
    const v4 = ipv4ToInt(dotted[2] as string);
    tail.push(Math.floor(v4 / 65536), v4 % 65536);
    head = (dotted[1] as string).endsWith('::') ? (dotted[1] as string) : (dotted[1] as string).slice(0, -1);
  }
  const [left = '', right] = head.split('::');
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((g) => Number.parseInt(g, 16)));
  const leftGroups = parse(left);
  const rightGroups = [...(right === undefined ? [] : parse(right)), ...tail];
  if (right === undefined) return [...leftGroups, ...tail];
  const zeros = new Array(8 - leftGroups.length - rightGroups.length).fill(0);
  return [...leftGroups, ...zeros, ...rightGroups];
}

function embeddedIpv4(groups: number[], high: number, low: number): number {
  return (groups[high] ?? 0) * 65536 + (groups[low] ?? 0);
}

function classifyIpv6Groups(g: number[]): AddressClass {
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = g;
  const firstSixZero = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0;
  if (firstSixZero && g5 === 0 && g6 === 0 && g7 === 0) return 'unspecified';
  if (firstSixZero && g5 === 0 && g6 === 0 && g7 === 1) return 'loopback';
  // IPv4-mapped (::ffff:a.b.c.d) and the deprecated IPv4-compatible (::a.b.c.d) forms reach IPv4 hosts.
  if (firstSixZero && (g5 === 0xffff || g5 === 0)) return classifyIpv4Int(embeddedIpv4(g, 6, 7));
  // SIIT translated form ::ffff:0:a.b.c.d.
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0xffff && g5 === 0) {
    return classifyIpv4Int(embeddedIpv4(g, 6, 7));
  }
  // NAT64 well-known prefix 64:ff9b::/96 reaches the embedded IPv4 host.
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) {
    return classifyIpv4Int(embeddedIpv4(g, 6, 7));
  }
  // 6to4 2002::/16 carries an IPv4 address in groups 1-2.
  if (g0 === 0x2002) return classifyIpv4Int(embeddedIpv4(g, 1, 2));
  if (g0 >= 0xff00) return 'multicast';
  if ((g0 & 0xffc0) === 0xfe80) return 'link-local';
  if ((g0 & 0xffc0) === 0xfec0) return 'private';
  if ((g0 & 0xfe00) === 0xfc00) return 'unique-local';
  if (g0 === 0x2001 && g1 === 0x0db8) return 'reserved';
  if (g0 === 0x2001 && g1 < 0x0200) return 'reserved';
  if ((g0 & 0xe000) !== 0x2000) return 'reserved';
  return 'public';
}

/** Classifies a literal IPv4 or IPv6 address (brackets and zone ids allowed). */
export function classifyAddress(address: string): AddressClass {
  const ip = address.replace(/^\[|\]$/g, '');
  const family = isIP(ip.replace(/%.*$/, ''));
  if (family === 4) return classifyIpv4Int(ipv4ToInt(ip));
  if (family === 6) {
    const groups = parseIpv6(ip);
    return groups ? classifyIpv6Groups(groups) : 'not-an-ip';
  }
  return 'not-an-ip';
}

const METADATA_HOSTNAMES = new Set([
  'metadata',
  'metadata.google.internal',
  'metadata.goog',
  'instance-data',
  'instance-data.ec2.internal',
  'metadata.azure.internal',
  'metadata.tencentyun.com',
  'metadata.platformequinix.com',
]);

/** Hostnames refused before any DNS lookup: cloud metadata services and the localhost names. */
export function classifyHostname(hostname: string): AddressClass | undefined {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  if (METADATA_HOSTNAMES.has(name)) return 'cloud-metadata';
  if (name === 'localhost' || name.endsWith('.localhost')) return 'loopback';
  return undefined;
}
