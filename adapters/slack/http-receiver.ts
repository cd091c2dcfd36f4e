import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import type { Logger } from 'pino';
import type { HttpRoute, RawHttpRequest, RawHttpResponse } from '../../core/chat.js';
import { verifySlackSignature } from './signature.js';

export interface HttpReceiverOptions {
  signingSecret: string;
  path: string;
  toleranceSeconds: number;
  now?: () => number;
  /** How long a request may wait for Bolt to ack before it is answered anyway (Slack gives 3 s). */
  ackTimeoutMs?: number;
}

const UNAUTHORIZED: RawHttpResponse = { status: 401, headers: { 'content-type': 'text/plain' }, body: 'invalid signature' };
const EMPTY_OK: RawHttpResponse = { status: 200, body: '' };
/** Slack's payloads are a few kilobytes; anything this large is not from Slack. */
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * A Bolt receiver without its own server: the main HTTP server hands it raw requests through
 * `route()`. Every request is verified (signature + freshness) before anything else sees it.
 */
export class SlackHttpReceiver implements Receiver {
  private app: App | undefined;

  constructor(
    private readonly options: HttpReceiverOptions,
    private readonly logger: Logger,
  ) {}

  init(app: App): void {
    this.app = app;
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {
    this.app = undefined;
  }

  route(): HttpRoute {
    return { method: 'POST', path: this.options.path, handle: (req) => this.handle(req) };
  }

  async handle(req: RawHttpRequest): Promise<RawHttpResponse> {
    if (req.rawBody.length > MAX_BODY_BYTES) return { status: 413, body: 'body too large' };
    const check = verifySlackSignature({
      signingSecret: this.options.signingSecret,
      rawBody: req.rawBody,
      timestamp: header(req, 'x-slack-request-timestamp'),
      signature: header(req, 'x-slack-signature'),
      nowMs: this.options.now?.(),
      toleranceSeconds: this.options.toleranceSeconds,
    });
    if (!check.ok) {
      this.logger.warn({ reason: check.reason }, 'slack: rejected an unsigned, forged or stale request');
      return UNAUTHORIZED;
    }
    const body = parseBody(req);
    if (!body) {
      this.logger.warn('slack: ignored a request whose body could not be parsed');
      return { status: 400, body: 'unreadable body' };
    }
    if (body.ssl_check) return EMPTY_OK;
    if (body.type === 'url_verification') {
      return {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ challenge: body.challenge }),
      };
    }
    const app = this.app;
    if (!app) return { status: 503, body: 'not started' };
    return this.dispatch(app, body, req);
  }

  private dispatch(app: App, body: Record<string, unknown>, req: RawHttpRequest): Promise<RawHttpResponse> {
    return new Promise<RawHttpResponse>((resolve) => {
      let answered = false;
      const answer = (res: RawHttpResponse) => {
        if (answered) return;
        answered = true;
        clearTimeout(timer);
        resolve(res);
      };
      // Slack retries anything unanswered after 3 s; answering 200 stops a retry storm.
      const timer = setTimeout(() => answer(EMPTY_OK), this.options.ackTimeoutMs ?? 2500);
      const retryNum = Number(header(req, 'x-slack-retry-num'));
      const event: ReceiverEvent = {
        body,
        retryNum: Number.isFinite(retryNum) && retryNum > 0 ? retryNum : undefined,
        retryReason: header(req, 'x-slack-retry-reason'),
        ack: async (response?: unknown) => answer(ackResponse(response)),
      };
      app.processEvent(event).then(
        () => answer(EMPTY_OK),
        (err: unknown) => {
          this.logger.error({ err }, 'slack: processing an incoming request failed');
          answer({ status: 500, body: 'internal error' });
        },
      );
    });
  }
}

function header(req: RawHttpRequest, name: string): string | undefined {
  const direct = req.headers[name];
  if (direct !== undefined) return direct;
  const key = Object.keys(req.headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : req.headers[key];
}

function ackResponse(response: unknown): RawHttpResponse {
  if (response === undefined || response === '') return EMPTY_OK;
  if (typeof response === 'string') return { status: 200, headers: { 'content-type': 'text/plain' }, body: response };
  return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(response) };
}

/** JSON (Events API), form with `payload` (interactivity) or plain form (slash commands). */
function parseBody(req: RawHttpRequest): Record<string, unknown> | undefined {
  const text = req.rawBody.toString('utf8');
  const type = header(req, 'content-type') ?? '';
  try {
    if (type.includes('application/json') || text.startsWith('{')) return asRecord(JSON.parse(text));
    const form = new URLSearchParams(text);
    const payload = form.get('payload');
    if (payload !== null) return asRecord(JSON.parse(payload));
    return Object.fromEntries(form);
  } catch {
    return undefined;
  }
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
