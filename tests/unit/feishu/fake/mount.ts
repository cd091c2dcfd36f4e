import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpRoute } from '../../../../core/chat.js';

/** Mounts adapter routes on a loopback node:http server, the way the main server would. */
export async function mountRoutes(routes: HttpRoute[]): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const route = routes.find((r) => r.method === req.method && r.path === path);
    if (!route) {
      res.writeHead(404).end();
      return;
    }
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v]));
    const out = await route.handle({ method: req.method ?? 'POST', path, headers, rawBody: Buffer.concat(chunks) });
    res.writeHead(out.status, out.headers).end(out.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export async function post(
  url: string,
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  const res = await fetch(url, { method: 'POST', body, headers });
  return { status: res.status, body: await res.text() };
}
