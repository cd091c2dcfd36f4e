import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeLongConnection } from './long-connection.js';
import { type RenderedCard, renderCard } from './render.js';

export const BOT_OPEN_ID = 'ou_bot_teamkb';
export const TOKEN = 't-fake-tenant-token';

export interface RecordedCall {
  method: string;
  path: string;
  query: URLSearchParams;
  body: Record<string, unknown>;
}

export interface StoredMessage {
  id: string;
  chatId: string;
  parentId?: string;
  rootId?: string;
  msgType: string;
  content: string;
  fromBot: boolean;
}

interface Failure {
  match: RegExp;
  remaining: number;
  status: number;
  body: Record<string, unknown>;
  headers: Record<string, string>;
}

type Reply = { status?: number; body: unknown; headers?: Record<string, string> };

/** A loopback stand-in for the Feishu Open API (and its long-connection endpoint). */
export class FakeOpenApi {
  readonly calls: RecordedCall[] = [];
  readonly messages = new Map<string, StoredMessage>();
  readonly cards = new Map<string, { card: Record<string, unknown>; sequence: number }>();
  readonly resources = new Map<string, Buffer>();
  readonly sequenceErrors: string[] = [];
  readonly ws = new FakeLongConnection();
  private readonly failures: Failure[] = [];
  private readonly server: Server = createServer((req, res) => void this.serve(req, res));
  private counter = 0;
  url = '';

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    this.ws.attach(this.server, this.url);
  }

  async close(): Promise<void> {
    await this.ws.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The next `times` calls whose "METHOD /path" matches fail with this response. */
  failNext(match: RegExp, times: number, failure: { status: number; code: number; headers?: Record<string, string> }): void {
    this.failures.push({
      match,
      remaining: times,
      status: failure.status,
      body: { code: failure.code, msg: 'fake failure' },
      headers: failure.headers ?? {},
    });
  }

  /** A message a user sent (so the bot can read it and download its files). */
  addUserMessage(message: Omit<StoredMessage, 'fromBot'>, files: Record<string, Buffer> = {}): void {
    this.messages.set(message.id, { ...message, fromBot: false });
    for (const [key, bytes] of Object.entries(files)) this.resources.set(`${message.id}/${key}`, bytes);
  }

  botMessages(): StoredMessage[] {
    return [...this.messages.values()].filter((m) => m.fromBot);
  }

  /** What a user sees of a message now (card entities resolved to their current state). */
  render(message: StoredMessage): RenderedCard {
    const content = JSON.parse(message.content) as Record<string, unknown>;
    if (content.type === 'card') {
      const id = (content.data as { card_id: string }).card_id;
      return renderCard(this.cards.get(id)?.card);
    }
    return renderCard(content);
  }

  callsTo(pattern: RegExp): RecordedCall[] {
    return this.calls.filter((c) => pattern.test(`${c.method} ${c.path}`));
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', this.url);
    const method = req.method ?? 'GET';
    let body: Record<string, unknown> = {};
    try {
      body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    } catch {
      body = {};
    }
    this.calls.push({ method, path: url.pathname, query: url.searchParams, body });
    const reply = this.route(method, url, body, req.headers.authorization);
    if (Buffer.isBuffer(reply.body)) {
      const jpeg = reply.body[0] === 0xff && reply.body[1] === 0xd8;
      const type = jpeg ? 'image/jpeg' : 'application/octet-stream';
      res.writeHead(reply.status ?? 200, { 'content-type': type, 'content-length': reply.body.length, ...reply.headers });
      res.end(reply.body);
      return;
    }
    res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
    res.end(JSON.stringify(reply.body));
  }

  private route(method: string, url: URL, body: Record<string, unknown>, auth: string | undefined): Reply {
    const path = url.pathname;
    if (method === 'POST' && path === '/open-apis/auth/v3/tenant_access_token/internal') {
      return { body: { code: 0, msg: 'ok', tenant_access_token: TOKEN, expire: 7200 } };
    }
    if (method === 'POST' && path === '/callback/ws/endpoint') return { body: this.ws.endpointResponse() };
    const failure = this.failures.find((f) => f.remaining > 0 && f.match.test(`${method} ${path}`));
    if (failure) {
      failure.remaining--;
      return { status: failure.status, body: failure.body, headers: failure.headers };
    }
    if (auth !== `Bearer ${TOKEN}`) return { status: 401, body: { code: 99991663, msg: 'invalid access token' } };
    return this.api(method, path, url.searchParams, body);
  }

  private api(method: string, path: string, query: URLSearchParams, body: Record<string, unknown>): Reply {
    const replyTo = /^\/open-apis\/im\/v1\/messages\/([^/]+)\/reply$/.exec(path);
    const one = /^\/open-apis\/im\/v1\/messages\/([^/]+)$/.exec(path);
    const resource = /^\/open-apis\/im\/v1\/messages\/([^/]+)\/resources\/([^/]+)$/.exec(path);
    if (method === 'GET' && path === '/open-apis/bot/v3/info')
      return { body: { code: 0, bot: { open_id: BOT_OPEN_ID, app_name: 'TeamKB' } } };
    if (method === 'POST' && replyTo) {
      const parent = this.messages.get(replyTo[1] as string);
      if (!parent) return { status: 400, body: { code: 230011, msg: 'message not found' } };
      return this.created(parent.chatId, body, parent.rootId ?? parent.id, parent.id);
    }
    if (method === 'POST' && path === '/open-apis/im/v1/messages') return this.created(String(body.receive_id), body);
    if (one) {
      const message = this.messages.get(one[1] as string);
      if (!message) return { status: 400, body: { code: 230011, msg: 'message not found' } };
      if (method === 'DELETE') {
        this.messages.delete(message.id);
        return { body: { code: 0, data: {} } };
      }
      if (method === 'PATCH') {
        message.content = String(body.content);
        return { body: { code: 0, data: {} } };
      }
      const sender = { sender_type: message.fromBot ? 'app' : 'user' };
      const item = { message_id: message.id, msg_type: message.msgType, body: { content: message.content }, sender };
      return { body: { code: 0, data: { items: [item] } } };
    }
    if (method === 'GET' && resource) {
      const bytes = this.resources.get(`${resource[1]}/${resource[2]}`);
      if (!bytes || !query.get('type')) return { status: 400, body: { code: 234003, msg: 'resource not found' } };
      return { body: bytes };
    }
    return this.cardkit(method, path, body);
  }

  private cardkit(method: string, path: string, body: Record<string, unknown>): Reply {
    const m = /^\/open-apis\/cardkit\/v1\/cards\/([^/]+)(\/settings|\/elements\/([^/]+)\/content)?$/.exec(path);
    if (method === 'POST' && path === '/open-apis/cardkit/v1/cards') {
      const id = `card_${++this.counter}`;
      this.cards.set(id, { card: JSON.parse(String(body.data)), sequence: 0 });
      return { body: { code: 0, data: { card_id: id } } };
    }
    if (m) {
      const entry = this.cards.get(m[1] as string);
      if (!entry) return { status: 400, body: { code: 300301, msg: 'card not found' } };
      const sequence = Number(body.sequence);
      if (!(sequence > entry.sequence)) {
        this.sequenceErrors.push(`${path} sequence ${sequence} after ${entry.sequence}`);
        return { status: 400, body: { code: 300317, msg: 'sequence must increase' } };
      }
      entry.sequence = sequence;
      if (m[2] === '/settings') {
        const settings = JSON.parse(String(body.settings)) as { config?: Record<string, unknown> };
        entry.card.config = { ...(entry.card.config as object), ...settings.config };
      } else if (m[3]) {
        const elements = ((entry.card.body as { elements: Record<string, unknown>[] }).elements ?? []).filter(
          (e) => e.element_id === m[3],
        );
        for (const element of elements) element.content = body.content;
      } else if (method === 'PUT') {
        entry.card = JSON.parse(String((body.card as { data: string }).data));
      }
      return { body: { code: 0, data: {} } };
    }
    return { status: 404, body: { code: 404, msg: `no fake for ${method} ${path}` } };
  }

  private created(chatId: string, body: Record<string, unknown>, rootId?: string, parentId?: string): Reply {
    const id = `om_bot_${++this.counter}`;
    this.messages.set(id, {
      id,
      chatId,
      rootId,
      parentId,
      msgType: String(body.msg_type),
      content: String(body.content),
      fromBot: true,
    });
    return { body: { code: 0, data: { message_id: id, chat_id: chatId } } };
  }
}
