import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { VisibleMessage } from '../../contract/chat-adapter.contract.js';
import { buttonValues, renderPlain } from './fake-render.js';

export interface ApiCall {
  method: string;
  args: Record<string, unknown>;
  at: number;
}

export interface FakeMessage {
  key: string;
  channel: string;
  thread?: string;
  text: string;
  blocks?: Array<Record<string, unknown>>;
  ephemeral: boolean;
  updates: number;
  /** Text of a native stream (chat.startStream / appendStream / stopStream), shown above the blocks. */
  markdown?: string;
  /** A native stream not stopped yet. */
  streaming?: boolean;
}

interface ApiResult {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

interface HostedFile {
  bytes: Buffer;
  contentType: string;
  /** Sent without Content-Length, in pieces. */
  chunked: boolean;
}

/**
 * A loopback stand-in for Slack: the Web API methods the adapter calls, response_url endpoints,
 * private file downloads (bot-token protected, like files.slack.com) and apps.connections.open.
 */
export class FakeSlack {
  readonly calls: ApiCall[] = [];
  readonly responseUrlPosts: Array<{ id: string; body: Record<string, unknown> }> = [];
  readonly downloads: Array<{ path: string; authorization?: string }> = [];
  private readonly messages = new Map<string, FakeMessage>();
  private readonly files = new Map<string, HostedFile>();
  private readonly failures: Array<{ method: string; status: number; retryAfter?: number; error?: string }> = [];
  /** When set, chat.startStream / appendStream / stopStream answer this error (e.g. `unknown_method`). */
  refuseStreaming: string | undefined;
  private server: Server | undefined;
  private tsCounter = 0;
  origin = '';
  socketUrl = '';

  constructor(
    readonly botToken = 'xoxb-test-token',
    readonly identity = { user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1' },
  ) {}

  get apiUrl(): string {
    return `${this.origin}/api/`;
  }

  /** Starts serving; several adapters (replicas) may share one fake, so a second call is a no-op. */
  async listen(): Promise<this> {
    if (this.server) return this;
    this.server = createServer((req, res) => void this.route(req, res));
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** The next call of `method` fails once (429 with Retry-After, or an `ok: false` error). */
  failNext(method: string, failure: { status?: number; retryAfter?: number; error?: string }): void {
    this.failures.push({ method, status: failure.status ?? 200, retryAfter: failure.retryAfter, error: failure.error });
  }

  hostFile(path: string, bytes: Buffer, contentType = 'application/octet-stream', chunked = false): string {
    this.files.set(path, { bytes, contentType, chunked });
    return `${this.origin}${path}`;
  }

  responseUrl(id: string): string {
    return `${this.origin}/respond/${encodeURIComponent(id)}`;
  }

  /** Records what Slack shows for a slash command's immediate (ack) response. */
  recordAckMessage(responseUrlId: string, channel: string, body: string): void {
    if (!body) return;
    const parsed = JSON.parse(body) as Record<string, unknown>;
    this.store(responseUrlId, { channel, text: String(parsed.text ?? ''), blocks: blocksOf(parsed), ephemeral: true });
  }

  callsOf(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  allMessages(): FakeMessage[] {
    return [...this.messages.values()];
  }

  message(key: string): FakeMessage | undefined {
    return this.messages.get(key);
  }

  visible(): VisibleMessage[] {
    return this.allMessages().map((m) => ({
      channel: m.channel,
      ...(m.thread ? { thread: m.thread } : {}),
      text: renderPlain(m),
      buttons: buttonValues(m.blocks),
    }));
  }

  /** Key of the message showing a button with this value. */
  /** The button whose value is `value`, or whose encoded value (`tkb:<action>:<value>`) carries it. */
  findButton(value: string): { message: FakeMessage; actionId: string; value: string } | undefined {
    for (const m of this.messages.values()) {
      for (const block of m.blocks ?? []) {
        for (const el of (block.elements as Array<Record<string, unknown>> | undefined) ?? []) {
          const shown = String(el.value);
          if (
            el.type === 'button' &&
            (shown === value || (/^tkb:[a-z]+:/.test(shown) && shown.replace(/^tkb:[a-z]+:/, '') === value))
          )
            return { message: m, actionId: String(el.action_id), value: shown };
        }
      }
    }
    return undefined;
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const path = new URL(req.url ?? '/', this.origin).pathname;
    if (path.startsWith('/api/')) return this.api(path.slice(5), parseArgs(raw, req.headers['content-type']), req, res);
    if (path.startsWith('/respond/')) {
      this.respond(decodeURIComponent(path.slice(9)), JSON.parse(raw || '{}') as Record<string, unknown>);
      res.end('ok');
      return;
    }
    const file = this.files.get(path);
    this.downloads.push({ path, authorization: req.headers.authorization });
    if (!file) {
      res.writeHead(404).end('not found');
      return;
    }
    if (req.headers.authorization !== `Bearer ${this.botToken}`) {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html>sign in</html>');
      return;
    }
    if (!file.chunked) {
      res.writeHead(200, { 'content-type': file.contentType, 'content-length': file.bytes.length }).end(file.bytes);
      return;
    }
    res.writeHead(200, { 'content-type': file.contentType });
    for (let i = 0; i < file.bytes.length; i += 1024) res.write(file.bytes.subarray(i, i + 1024));
    res.end();
  }

  private api(method: string, args: Record<string, unknown>, req: IncomingMessage, res: ServerResponse): void {
    this.calls.push({ method, args, at: Date.now() });
    const out = this.apiResult(method, args, req.headers.authorization);
    res.writeHead(out.status, { 'content-type': 'application/json', ...out.headers }).end(JSON.stringify(out.body));
  }

  private apiResult(method: string, args: Record<string, unknown>, authorization: string | undefined): ApiResult {
    const failure = this.failures.findIndex((f) => f.method === method);
    if (failure >= 0) {
      const [f] = this.failures.splice(failure, 1);
      if (f?.status !== 429) return fail(f?.error ?? 'fatal_error');
      return { status: 429, body: { ok: false, error: 'ratelimited' }, headers: { 'retry-after': String(f.retryAfter ?? 1) } };
    }
    if (authorization !== `Bearer ${this.botToken}` && method !== 'apps.connections.open') return fail('invalid_auth');
    const channel = String(args.channel ?? '');
    const content = { channel, thread: optional(args.thread_ts), text: String(args.text ?? ''), blocks: blocksOf(args) };
    switch (method) {
      case 'auth.test':
        return ok({ url: 'https://fake.slack.test/', team: 'Fake', user: 'teamkb', ...this.identity });
      case 'apps.connections.open':
        return ok({ url: this.socketUrl });
      case 'chat.postMessage': {
        const ts = this.nextTs();
        this.store(ts, { ...content, ephemeral: false });
        return ok({ channel, ts, message: { text: args.text, ts } });
      }
      case 'chat.postEphemeral': {
        const ts = this.nextTs();
        this.store(ts, { ...content, ephemeral: true });
        return ok({ message_ts: ts });
      }
      case 'chat.update': {
        const m = this.messages.get(String(args.ts));
        if (!m) return fail('message_not_found');
        m.text = content.text;
        if (args.blocks !== undefined) m.blocks = content.blocks;
        m.markdown = undefined;
        m.updates += 1;
        return ok({ channel, ts: args.ts, text: args.text });
      }
      case 'chat.startStream':
      case 'chat.appendStream':
      case 'chat.stopStream':
        return this.refuseStreaming ? fail(this.refuseStreaming) : this.stream(method, args);
      default:
        return fail('unknown_method');
    }
  }

  private stream(method: string, args: Record<string, unknown>): ApiResult {
    const channel = String(args.channel ?? '');
    const markdown = typeof args.markdown_text === 'string' ? args.markdown_text : '';
    if (method === 'chat.startStream') {
      if (!optional(args.thread_ts)) return fail('invalid_arguments');
      const ts = this.nextTs();
      this.store(ts, { channel, thread: optional(args.thread_ts), text: '', ephemeral: false, markdown, streaming: true });
      return ok({ channel, ts });
    }
    const m = this.messages.get(String(args.ts));
    if (!m) return fail('message_not_found');
    if (!m.streaming) return fail('message_not_in_streaming_state');
    m.markdown = `${m.markdown ?? ''}${markdown}`;
    m.updates += 1;
    if (method === 'chat.stopStream') {
      m.streaming = false;
      m.text = m.markdown;
      if (args.blocks !== undefined) m.blocks = blocksOf(args);
    }
    return ok({ channel, ts: m.key });
  }

  private respond(id: string, body: Record<string, unknown>): void {
    this.responseUrlPosts.push({ id, body });
    const existing = this.messages.get(id);
    const content = { text: String(body.text ?? ''), blocks: blocksOf(body) };
    if (existing && body.replace_original === true) {
      existing.text = content.text;
      existing.blocks = content.blocks;
      existing.updates += 1;
      return;
    }
    const channel = existing?.channel ?? 'C-response';
    this.store(`${id}-r${this.responseUrlPosts.length}`, { channel, ...content, ephemeral: body.response_type !== 'in_channel' });
  }

  private store(key: string, m: Omit<FakeMessage, 'key' | 'updates'>): void {
    this.messages.set(key, { key, updates: 0, ...m });
  }

  private nextTs(): string {
    this.tsCounter += 1;
    return `1700000000.${String(this.tsCounter).padStart(6, '0')}`;
  }
}

const ok = (body: Record<string, unknown>): ApiResult => ({ status: 200, body: { ok: true, ...body } });
const fail = (error: string): ApiResult => ({ status: 200, body: { ok: false, error } });

function parseArgs(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (!raw) return {};
  if (contentType?.includes('json')) return JSON.parse(raw) as Record<string, unknown>;
  return Object.fromEntries(new URLSearchParams(raw));
}

function blocksOf(args: Record<string, unknown>): Array<Record<string, unknown>> | undefined {
  const blocks = args.blocks;
  if (blocks === undefined) return undefined;
  return (typeof blocks === 'string' ? JSON.parse(blocks) : blocks) as Array<Record<string, unknown>>;
}

function optional(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
