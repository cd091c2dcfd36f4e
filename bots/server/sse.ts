import type { FastifyReply } from 'fastify';

/** Switches a reply to a server-sent event stream; returns a writer and a close function. */
export function openSse(reply: FastifyReply): {
  send: (data: unknown, event?: string) => void;
  close: () => void;
  closed: () => boolean;
} {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  let isClosed = false;
  raw.on('close', () => {
    isClosed = true;
  });
  return {
    send(data, event) {
      if (isClosed) return;
      const payload = typeof data === 'string' ? data : JSON.stringify(data);
      raw.write(`${event ? `event: ${event}\n` : ''}data: ${payload}\n\n`);
    },
    close() {
      if (isClosed) return;
      isClosed = true;
      raw.end();
    },
    closed: () => isClosed,
  };
}
