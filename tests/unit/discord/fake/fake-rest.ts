import type { IncomingMessage, ServerResponse } from 'node:http';

export interface RestCall {
  method: string;
  /** Path after /api/v10, e.g. /channels/1/messages. */
  route: string;
  query: URLSearchParams;
  body: unknown;
  status: number;
  headers: Record<string, string | string[] | undefined>;
}

export interface RestResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type RouteHandler = (params: string[], body: unknown, call: RestCall) => RestResult | Promise<RestResult>;

interface Injected {
  method: string;
  route: RegExp;
  result: RestResult;
  times: number;
}

/** A tiny REST router for the fake API: records every call and can answer the next matching ones with an error. */
export class FakeRest {
  readonly calls: RestCall[] = [];
  private readonly routes: { method: string; pattern: RegExp; handle: RouteHandler }[] = [];
  private readonly injected: Injected[] = [];

  constructor(private readonly token: string) {}

  on(method: string, pattern: RegExp, handle: RouteHandler): void {
    this.routes.push({ method, pattern, handle });
  }

  /** The next `times` calls matching method + route get `result` instead of the normal answer. */
  failNext(method: string, route: RegExp, result: RestResult, times = 1): void {
    this.injected.push({ method, route, result, times });
  }

  /** A 429 the way Discord sends it: Retry-After header (seconds) and retry_after in the body. */
  static rateLimited(retryAfterSeconds: number): RestResult {
    return {
      status: 429,
      headers: {
        'retry-after': String(retryAfterSeconds),
        'x-ratelimit-limit': '5',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset-after': String(retryAfterSeconds),
        'x-ratelimit-bucket': 'fake-bucket',
        'x-ratelimit-scope': 'user',
      },
      body: { message: 'You are being rate limited.', retry_after: retryAfterSeconds, global: false },
    };
  }

  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const raw = await readBody(req);
    const route = decodeURIComponent(url.pathname.replace(/^\/api\/v\d+/, ''));
    const call: RestCall = {
      method: req.method ?? 'GET',
      route,
      query: url.searchParams,
      body: parse(raw),
      status: 0,
      headers: req.headers,
    };
    const result = await this.answer(call, req.headers.authorization);
    call.status = result.status;
    this.calls.push(call);
    if (result.body === undefined) {
      res.writeHead(result.status, result.headers).end();
      return;
    }
    res.writeHead(result.status, { 'content-type': 'application/json', ...result.headers });
    res.end(JSON.stringify(result.body));
  }

  private async answer(call: RestCall, authorization: string | undefined): Promise<RestResult> {
    const injected = this.injected.find((i) => i.times > 0 && i.method === call.method && i.route.test(call.route));
    if (injected) {
      injected.times--;
      return injected.result;
    }
    for (const r of this.routes) {
      if (r.method !== call.method) continue;
      const match = r.pattern.exec(call.route);
      if (!match) continue;
      const needsAuth = !/^\/(interactions|webhooks)\//.test(call.route);
      if (needsAuth && authorization !== `Bot ${this.token}`)
        return { status: 401, body: { message: '401: Unauthorized', code: 0 } };
      return r.handle(match.slice(1), call.body, call);
    }
    return { status: 404, body: { message: `No fake route for ${call.method} ${call.route}`, code: 0 } };
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of req) parts.push(chunk as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

function parse(raw: string): unknown {
  if (!raw) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}
