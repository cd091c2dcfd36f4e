import type { ServerResponse } from 'node:http';
import { fakeVector } from '../../../../adapters/models/embedder-fake.js';
import { type Loopback, type SeenRequest, startLoopback } from './loopback.js';

export interface FakeOpenAiOptions {
  /** Required bearer key; requests without it get 401. */
  apiKey?: string;
  /** Embedding dimension served (hashed bag of tokens, like the fake embedder). */
  dim?: number;
  /** Answer this many requests with 429 (Retry-After: 0) before serving. */
  rateLimitFirst?: number;
  /** Models the server knows; others get 404. */
  models?: string[];
  /** Chat reply streamed word by word. */
  reply?: string;
  /** Pause between streamed chunks. */
  chunkDelayMs?: number;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** A loopback stand-in for an OpenAI-compatible server: /v1/embeddings and streaming /v1/chat/completions. */
export async function startFakeOpenAi(options: FakeOpenAiOptions = {}): Promise<Loopback & { aborted: () => number }> {
  let limited = 0;
  let abortedStreams = 0;
  const dim = options.dim ?? 32;
  const models = options.models ?? ['test-model'];
  const loopback = await startLoopback(async (req: SeenRequest, res) => {
    if (options.apiKey && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      return json(res, 401, { error: { message: 'Incorrect API key provided' } });
    }
    if (limited < (options.rateLimitFirst ?? 0)) {
      limited++;
      res.setHeader('retry-after', '0');
      return json(res, 429, { error: { message: 'Rate limit reached' } });
    }
    const body = JSON.parse(req.body || '{}') as { model?: string; input?: string[]; stream?: boolean };
    if (!models.includes(body.model ?? '')) return json(res, 404, { error: { message: `model '${body.model}' not found` } });
    if (req.path === '/v1/embeddings') {
      const data = (body.input ?? []).map((text, index) => ({
        object: 'embedding',
        index,
        embedding: Array.from(fakeVector(text, dim)),
      }));
      return json(res, 200, { object: 'list', data: data.reverse(), model: body.model });
    }
    if (req.path === '/v1/chat/completions') {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      let closed = false;
      res.on('close', () => {
        if (!res.writableFinished) {
          closed = true;
          abortedStreams++;
        }
      });
      const words = (options.reply ?? 'Hello from the fake server.').split(/(?<=\s)/);
      for (const word of words) {
        if (closed) return;
        res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: word } }] })}\n\n`);
        await new Promise((r) => setTimeout(r, options.chunkDelayMs ?? 0));
      }
      res.write(`data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 7, completion_tokens: words.length } })}\n\n`);
      res.end('data: [DONE]\n\n');
      return;
    }
    json(res, 404, { error: { message: `no route ${req.path}` } });
  });
  return { ...loopback, aborted: () => abortedStreams };
}
