import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { type HostLookup, type SafeFetchOptions, safeFetch } from '../../../adapters/search/safe-fetch.js';
import { TeamKbError } from '../../../core/errors.js';
import { type LoopbackServer, sendHtml, startLoopbackServer } from './loopback-server.js';

let server: LoopbackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function refusal(url: string, options: SafeFetchOptions = {}): Promise<TeamKbError> {
  const err = await safeFetch(url, options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TeamKbError);
  return err as TeamKbError;
}

const fixedLookup =
  (table: Record<string, string[]>): HostLookup =>
  async (host) =>
    (table[host] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

describe('safeFetch refuses non-public targets', () => {
  const literalTable: Array<[url: string, host: string, words: RegExp]> = [
    ['http://127.0.0.1/', '127.0.0.1', /loopback/],
    ['http://2130706433/', '127.0.0.1', /loopback/],
    ['http://0x7f.1/', '127.0.0.1', /loopback/],
    ['http://[::1]/', '::1', /loopback/],
    ['http://10.0.0.1/admin', '10.0.0.1', /private network/],
    ['http://172.20.1.1/', '172.20.1.1', /private network/],
    ['http://192.168.1.1/', '192.168.1.1', /private network/],
    ['http://169.254.169.254/latest/meta-data/', '169.254.169.254', /cloud metadata/],
    ['http://169.254.1.1/', '169.254.1.1', /link-local/],
    ['http://[fe80::1]/', 'fe80::1', /link-local/],
    ['http://100.64.0.1/', '100.64.0.1', /carrier-grade NAT/],
    ['http://224.0.0.1/', '224.0.0.1', /multicast/],
    ['http://[ff02::1]/', 'ff02::1', /multicast/],
    ['http://0.0.0.0/', '0.0.0.0', /unspecified/],
    ['http://[::]/', '::', /unspecified/],
    ['http://255.255.255.255/', '255.255.255.255', /broadcast/],
    ['http://240.0.0.1/', '240.0.0.1', /reserved/],
    ['http://[fd00::1]/', 'fd00::1', /unique-local/],
    ['http://[::ffff:127.0.0.1]/', '::ffff:7f00:1', /loopback/],
    ['http://[::ffff:10.0.0.1]/', '::ffff:a00:1', /private network/],
    ['http://[::ffff:169.254.169.254]/', '::ffff:a9fe:a9fe', /cloud metadata/],
    ['http://localhost/', 'localhost', /loopback/],
    ['http://metadata.google.internal/computeMetadata/v1/', 'metadata.google.internal', /cloud metadata/],
  ];

  it.each(literalTable)('%s', async (url, host, words) => {
    const err = await refusal(url);
    expect(err.code).toBe('FETCH_FORBIDDEN');
    expect(err.message).toContain(host);
    expect(err.message).toMatch(words);
  });

  it.each(['file:///etc/passwd', 'ftp://example.com/x', 'data:text/html,hi', 'gopher://example.com/'])(
    'refuses the scheme of %s',
    async (url) => {
      const err = await refusal(url);
      expect(err.code).toBe('FETCH_FORBIDDEN');
      expect(err.message).toMatch(/only http and https/);
    },
  );

  it('refuses a hostname that resolves to a private address', async () => {
    const err = await refusal('http://intranet.example/', { lookup: fixedLookup({ 'intranet.example': ['192.168.10.5'] }) });
    expect(err.code).toBe('FETCH_FORBIDDEN');
    expect(err.message).toMatch(/from intranet\.example: it resolves to 192\.168\.10\.5, a private network address/);
  });

  it('refuses a hostname when any of its addresses is forbidden', async () => {
    const lookup = fixedLookup({ 'mixed.example': ['93.184.216.34', 'fd00::5'] });
    expect((await refusal('https://mixed.example/', { lookup })).message).toMatch(/fd00::5, an IPv6 unique-local address/);
  });

  it('refuses IPv4-mapped forms of private addresses returned by DNS', async () => {
    const lookup = fixedLookup({ 'sneaky.example': ['::ffff:10.9.8.7'] });
    expect((await refusal('http://sneaky.example/', { lookup })).message).toMatch(/private network/);
  });

  it('keeps refusing private addresses when loopback test servers are allowed', async () => {
    expect((await refusal('http://10.0.0.1/', { allowLoopback: true })).code).toBe('FETCH_FORBIDDEN');
  });

  it('refuses a redirect from an allowed server into a forbidden address', async () => {
    server = await startLoopbackServer((req, res) => {
      const targets: Record<string, string> = {
        '/to-metadata': 'http://169.254.169.254/latest/meta-data/iam/',
        '/to-intranet': 'http://intranet.example/secret',
        '/to-file': 'file:///etc/passwd',
      };
      res.writeHead(302, { location: targets[req.url.pathname] ?? '/' });
      res.end();
    });
    const options = { allowLoopback: true, lookup: fixedLookup({ 'intranet.example': ['10.1.1.1'] }) };
    expect((await refusal(`${server.url}/to-metadata`, options)).message).toMatch(
      /from 169\.254\.169\.254: it is a cloud metadata endpoint/,
    );
    expect((await refusal(`${server.url}/to-intranet`, options)).message).toMatch(
      /intranet\.example: it resolves to 10\.1\.1\.1/,
    );
    expect((await refusal(`${server.url}/to-file`, options)).message).toMatch(/only http and https/);
  });
});

describe('safeFetch on an allowed server', () => {
  it('follows redirects without forwarding cookies or credentials', async () => {
    server = await startLoopbackServer((req, res) => {
      if (req.url.pathname === '/start') {
        res.writeHead(302, { location: '/final', 'set-cookie': 'session=abc; Path=/' });
        return res.end();
      }
      sendHtml(res, '<p>done</p>');
    });
    const withCredentials = server.url.replace('http://', 'http://user:pw@');
    const page = await safeFetch(`${withCredentials}/start`, { allowLoopback: true });
    expect(page.url).toBe(`${server.url}/final`);
    expect(page.bytes.toString()).toBe('<p>done</p>');
    for (const request of server.requests) {
      expect(request.headers.cookie).toBeUndefined();
      expect(request.headers.authorization).toBeUndefined();
    }
  });

  it('stops after five redirects', async () => {
    server = await startLoopbackServer((req, res) => {
      const n = Number(req.url.searchParams.get('n') ?? 0);
      res.writeHead(301, { location: `/loop?n=${n + 1}` });
      res.end();
    });
    const err = await refusal(`${server.url}/loop`, { allowLoopback: true });
    expect(err.code).toBe('FETCH_FAILED');
    expect(err.message).toMatch(/redirected more than 5 times/);
    expect(server.requests).toHaveLength(6);
  });

  it('connects to the address it checked, resolving each host once', async () => {
    server = await startLoopbackServer((req, res) => sendHtml(res, `host=${req.headers.host}`));
    let lookups = 0;
    // A rebinding resolver: the first answer passes the check, later answers point elsewhere.
    const lookup: HostLookup = async () => [{ address: lookups++ === 0 ? '127.0.0.1' : '10.0.0.1', family: 4 }];
    const page = await safeFetch(`http://rebind.example:${server.port}/`, { allowLoopback: true, lookup });
    expect(page.bytes.toString()).toBe(`host=rebind.example:${server.port}`);
    expect(lookups).toBe(1);
  });

  it('gives up on a page that does not answer in time', async () => {
    server = await startLoopbackServer(() => new Promise(() => undefined));
    const err = await refusal(`${server.url}/slow`, { allowLoopback: true, timeoutMs: 200 });
    expect(err.code).toBe('FETCH_FAILED');
    expect(err.message).toMatch(/127\.0\.0\.1:\d+ did not answer within 0\.2 s/);
  });

  it('aborts a streamed body past the size limit', async () => {
    server = await startLoopbackServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      const chunk = Buffer.alloc(4096, 0x61);
      for (let i = 0; i < 64; i++) res.write(chunk);
      res.end();
    });
    const err = await refusal(`${server.url}/big`, { allowLoopback: true, maxBytes: 20_000 });
    expect(err.code).toBe('FETCH_FAILED');
    expect(err.details?.reason).toBe('too-large');
    expect(err.message).toMatch(/larger than the 20000 bytes limit/);
  });

  it('refuses a declared length past the limit before reading', async () => {
    server = await startLoopbackServer((_req, res) => sendHtml(res, Buffer.alloc(3 * 1024 * 1024, 0x61)));
    const err = await refusal(`${server.url}/big`, { allowLoopback: true });
    expect(err.message).toMatch(/larger than the 2\.0 MB limit/);
  });

  it('decompresses gzip bodies and applies the limit to the decompressed size', async () => {
    server = await startLoopbackServer((req, res) => {
      const body = req.url.pathname === '/bomb' ? Buffer.alloc(1024 * 1024, 0x61) : Buffer.from('<p>压缩的网页</p>');
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-encoding': 'gzip' });
      res.end(gzipSync(body));
    });
    expect((await safeFetch(`${server.url}/page`, { allowLoopback: true })).bytes.toString()).toBe('<p>压缩的网页</p>');
    const err = await refusal(`${server.url}/bomb`, { allowLoopback: true, maxBytes: 100_000 });
    expect(err.details?.reason).toBe('too-large');
  });

  it('accepts only HTML and text', async () => {
    server = await startLoopbackServer((req, res) =>
      req.url.pathname === '/doc.pdf'
        ? sendHtml(res, '%PDF-1.7', 'application/pdf')
        : sendHtml(res, 'plain', 'text/plain; charset=utf-8'),
    );
    expect((await safeFetch(`${server.url}/a.txt`, { allowLoopback: true })).bytes.toString()).toBe('plain');
    const err = await refusal(`${server.url}/doc.pdf`, { allowLoopback: true });
    expect(err.message).toMatch(/sent application\/pdf, not a web page/);
  });

  it('reports HTTP errors with the status', async () => {
    server = await startLoopbackServer((_req, res) => sendHtml(res, 'gone', 'text/html', 404));
    const err = await refusal(`${server.url}/missing`, { allowLoopback: true });
    expect(err.message).toMatch(/answered HTTP 404 for \/missing/);
  });

  it('stops when the caller cancels', async () => {
    server = await startLoopbackServer(() => new Promise(() => undefined));
    const controller = new AbortController();
    const pending = refusal(`${server.url}/`, { allowLoopback: true, signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    expect((await pending).code).toBe('CANCELLED');
  });
});
