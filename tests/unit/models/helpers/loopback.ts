import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface Loopback {
  url: string;
  seen: SeenRequest[];
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 with a random port; the handler sees each request with its body read. */
export async function startLoopback(handler: (req: SeenRequest, res: ServerResponse) => void | Promise<void>): Promise<Loopback> {
  const seen: SeenRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      seen.push(request);
      Promise.resolve(handler(request, res)).catch((err: unknown) => {
        res.statusCode = 500;
        res.end(String(err));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A URL on 127.0.0.1 where nothing listens (the port of a server that was just closed). */
export async function deadUrl(): Promise<string> {
  const loopback = await startLoopback((_req, res) => {
    res.end();
  });
  await loopback.close();
  return loopback.url;
}
