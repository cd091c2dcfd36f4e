import { openSqlite } from '../../adapters/registry/sqlite-db.js';
import { createAccess } from '../../bots/access/index.js';
import { JobTracker } from '../../bots/jobs.js';
import { buildServer } from '../../bots/server/app.js';
import type { LocalKbService } from '../../core/kb/service.js';
import type { AnswerService } from '../../core/kb-service.js';
import { createLogger } from '../../core/logger.js';

/** Milliseconds from sending the request, as seen by the client. */
export interface ChatTiming {
  firstByte: number;
  firstText: number;
  total: number;
  error?: string;
}

/** Starts the real HTTP server on 127.0.0.1 (random port); returns its base URL and a stop function. */
export async function startServer(
  kb: LocalKbService,
  answers: AnswerService,
): Promise<{ url: string; stop: () => Promise<void> }> {
  const app = await buildServer({
    kb,
    answers,
    jobs: new JobTracker(kb),
    logger: createLogger('error'),
    maxUploadBytes: 10 * 2 ** 20,
    health: () => ({ status: 'ready', reasons: [] }),
    // A private in-memory access model: the benchmark talks as the local browser.
    access: createAccess({
      db: openSqlite(':memory:'),
      admins: { admins: {}, adminRoles: {} },
      listKbs: () => kb.listKbs(),
    }),
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url, stop: () => app.close() };
}

/** POSTs /api/chat and reads the server-sent events to the end. */
export async function timeChat(url: string, body: Record<string, unknown>): Promise<ChatTiming> {
  const start = performance.now();
  const timing: ChatTiming = { firstByte: Number.NaN, firstText: Number.NaN, total: Number.NaN };
  try {
    const res = await fetch(`${url}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
    const decoder = new TextDecoder();
    let text = '';
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      if (Number.isNaN(timing.firstByte)) timing.firstByte = performance.now() - start;
      text += decoder.decode(chunk, { stream: true });
      if (Number.isNaN(timing.firstText) && text.includes('event: text\n')) timing.firstText = performance.now() - start;
    }
    if (text.includes('event: error\n')) timing.error = /event: error\ndata: (.*)/.exec(text)?.[1] ?? 'error event';
    else if (!text.includes('event: done\n')) timing.error = 'stream ended without a done event';
  } catch (err) {
    timing.error = err instanceof Error ? err.message : String(err);
  }
  timing.total = performance.now() - start;
  return timing;
}
