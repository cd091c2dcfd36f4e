import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { createSlackAdapter, type SlackAdapter } from '../../../adapters/slack/adapter.js';
import type { SlackAdapterInput } from '../../../adapters/slack/options.js';
import { signSlackRequest } from '../../../adapters/slack/signature.js';
import type { BotRuntime, ChatAdapter, HttpRoute, IncomingEvent, Reply } from '../../../core/chat.js';
import type { AdapterHarness } from '../../contract/chat-adapter.contract.js';
import { FakeSlack } from './fake-slack.js';

export const SIGNING_SECRET = 'test-signing-secret';

export interface PostResult {
  status: number;
  body: string;
}

/** A node:http server that mounts adapter routes, as the main server would. */
export async function mountRoutes(routes: HttpRoute[]): Promise<{ url: string; server: Server }> {
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const route = routes.find((r) => r.path === path && r.method === req.method);
    if (!route) return void res.writeHead(404).end();
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v]));
    const out = await route.handle({ method: req.method ?? 'POST', path, headers, rawBody: Buffer.concat(chunks) });
    res.writeHead(out.status, out.headers).end(out.body ?? '');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** Counts runtime.handle calls in flight, so a send can settle once the runtime is done with it. */
class TrackedRuntime implements BotRuntime {
  inFlight = 0;
  constructor(private readonly inner: BotRuntime) {}
  async handle(event: IncomingEvent, reply: Reply): Promise<void> {
    this.inFlight += 1;
    try {
      await this.inner.handle(event, reply);
    } finally {
      this.inFlight -= 1;
    }
  }
  replyOn(surface: Parameters<BotRuntime['replyOn']>[0]) {
    return this.inner.replyOn(surface);
  }
  commands() {
    return this.inner.commands();
  }
  kbNames(ctx: Parameters<BotRuntime['kbNames']>[0]) {
    return this.inner.kbNames(ctx);
  }
}

/**
 * The real Bolt app in HTTP mode behind a local server, talking to FakeSlack. Requests are signed
 * like Slack signs them; `send*` resolve after the ack and once the runtime finished the event.
 */
export class SlackHttpHarness implements AdapterHarness {
  readonly adapter: ChatAdapter;
  private tracked: TrackedRuntime | undefined;
  private lastEvent: string | undefined;
  private seq = 0;

  private constructor(
    readonly fake: FakeSlack,
    readonly slack: SlackAdapter,
    private readonly eventsUrl: string,
    private readonly server: Server,
  ) {
    this.adapter = {
      platform: 'slack',
      start: (runtime) => {
        this.tracked = new TrackedRuntime(runtime);
        return slack.start(this.tracked);
      },
      stop: () => slack.stop(),
      httpRoutes: () => slack.httpRoutes(),
    };
  }

  static async create(options: Partial<SlackAdapterInput> = {}, fake?: FakeSlack): Promise<SlackHttpHarness> {
    const slackFake = await (fake ?? new FakeSlack()).listen();
    const slack = createSlackAdapter(
      {
        mode: 'http',
        botToken: slackFake.botToken,
        signingSecret: SIGNING_SECRET,
        apiUrl: slackFake.apiUrl,
        streaming: 'update',
        updateIntervalMs: 50,
        retryPolicy: { retries: 3, factor: 1, minTimeout: 10, maxTimeout: 20 },
        ...options,
      },
      pino({ level: process.env.TEAMKB_TEST_LOG ?? 'silent' }),
    );
    const { url, server } = await mountRoutes(slack.httpRoutes());
    return new SlackHttpHarness(slackFake, slack, `${url}${slack.options.eventsPath}`, server);
  }

  /** Posts a body signed with `secret` at `timestamp` (seconds), as Slack would. */
  async post(
    rawBody: string,
    o: { contentType?: string; secret?: string; timestamp?: number; headers?: Record<string, string> } = {},
  ): Promise<PostResult> {
    const ts = String(o.timestamp ?? Math.floor(Date.now() / 1000));
    const res = await fetch(this.eventsUrl, {
      method: 'POST',
      headers: {
        'content-type': o.contentType ?? 'application/json',
        'x-slack-request-timestamp': ts,
        'x-slack-signature': signSlackRequest(o.secret ?? SIGNING_SECRET, ts, rawBody),
        ...o.headers,
      },
      body: rawBody,
    });
    return { status: res.status, body: await res.text() };
  }

  /** Sends an Events API callback carrying `event`; remembers it for `redeliverLast`. */
  async sendEvent(event: Record<string, unknown>, envelope: Record<string, unknown> = {}): Promise<PostResult> {
    this.seq += 1;
    const body = JSON.stringify({
      token: 'legacy',
      team_id: 'T1',
      api_app_id: 'A1',
      type: 'event_callback',
      event_id: `Ev${String(this.seq).padStart(6, '0')}`,
      event_time: Math.floor(Date.now() / 1000),
      event: { event_ts: event.ts, ...event },
      ...envelope,
    });
    this.lastEvent = body;
    return this.settle(await this.post(body));
  }

  /** Posts a signed raw body (as Slack would deliver it) and waits until the runtime is done with it. */
  async deliver(rawBody: string): Promise<PostResult> {
    return this.settle(await this.post(rawBody));
  }

  nextTs(): string {
    this.seq += 1;
    return `1600000000.${String(this.seq).padStart(6, '0')}`;
  }

  async sendMention(o: { text: string; channel: string; user: string; threadTs?: string }): Promise<void> {
    const ts = this.nextTs();
    const bot = this.fake.identity.user_id;
    await this.sendEvent({
      type: 'app_mention',
      text: `<@${bot}> ${o.text}`,
      user: o.user,
      channel: o.channel,
      ts,
      thread_ts: o.threadTs,
    });
  }

  async sendDm(o: { text: string; user: string }): Promise<void> {
    await this.sendEvent({
      type: 'message',
      channel_type: 'im',
      channel: `D${o.user}`,
      user: o.user,
      text: o.text,
      ts: this.nextTs(),
    });
  }

  async sendWithFile(o: { text: string; fileName: string; bytes: Buffer; channel?: string }): Promise<void> {
    const path = `/files-pri/T1-F${this.seq}/download/${encodeURIComponent(o.fileName)}`;
    const url = this.fake.hostFile(path, o.bytes, 'text/plain');
    const file = {
      id: `F${this.seq}`,
      name: o.fileName,
      mimetype: 'text/plain',
      size: o.bytes.length,
      url_private_download: url,
    };
    const channel = o.channel ?? 'DU3';
    await this.sendEvent({
      type: 'message',
      subtype: 'file_share',
      channel_type: channel.startsWith('D') ? 'im' : 'channel',
      channel,
      user: 'U3',
      text: o.text,
      files: [file],
      ts: this.nextTs(),
    });
  }

  async sendCommand(o: { text: string; channel?: string; user?: string }): Promise<void> {
    await this.postCommand(o);
  }

  /** A signed slash command; resolves with Slack's view of the immediate (ack) response. */
  async postCommand(o: { text: string; channel?: string; user?: string }): Promise<PostResult> {
    this.seq += 1;
    const responseId = `cmd-${this.seq}`;
    const channel = o.channel ?? 'C1';
    const form = new URLSearchParams({
      token: 'legacy',
      team_id: 'T1',
      team_domain: 'fake',
      channel_id: channel,
      channel_name: 'general',
      user_id: o.user ?? 'U1',
      user_name: 'alice',
      command: this.slack.options.commandName,
      text: o.text,
      api_app_id: 'A1',
      response_url: this.fake.responseUrl(responseId),
      trigger_id: `trigger-${this.seq}`,
    }).toString();
    const res = await this.post(form, { contentType: 'application/x-www-form-urlencoded' });
    if (res.status === 200) this.fake.recordAckMessage(responseId, channel, res.body);
    return this.settle(res);
  }

  async clickButton(o: { value: string; action: 'feedback' | 'confirm' | 'cancel' }): Promise<void> {
    const found = this.fake.findButton(o.value);
    if (!found) throw new Error(`no visible button carries ${o.value}`);
    this.seq += 1;
    const { message, actionId, value } = found;
    const payload = {
      type: 'block_actions',
      user: { id: 'U1', username: 'alice', name: 'alice', team_id: 'T1' },
      api_app_id: 'A1',
      token: 'legacy',
      container: { type: 'message', message_ts: message.key, channel_id: message.channel, is_ephemeral: message.ephemeral },
      trigger_id: `click-${this.seq}`,
      team: { id: 'T1', domain: 'fake' },
      channel: { id: message.channel, name: 'general' },
      response_url: this.fake.responseUrl(message.key),
      actions: [{ action_id: actionId, block_id: 'b1', value, type: 'button', action_ts: String(Date.now() / 1000) }],
    };
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    await this.settle(await this.post(body, { contentType: 'application/x-www-form-urlencoded' }));
  }

  async redeliverLast(): Promise<void> {
    if (!this.lastEvent) throw new Error('nothing delivered yet');
    await this.settle(
      await this.post(this.lastEvent, { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } }),
    );
  }

  /**
   * Newest message first: answers also carry buttons (👍/👎) and name their KB, so a search for
   * "the message with buttons about handbook" must meet the latest prompt before older answers.
   */
  visible() {
    return this.fake.visible().reverse();
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await this.fake.close();
  }

  /** Waits (bounded) until the runtime has no event in hand. */
  private async settle(res: PostResult): Promise<PostResult> {
    const end = Date.now() + 10_000;
    while ((this.tracked?.inFlight ?? 0) > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
    return res;
  }
}

/** Runs `fn` against a started adapter on a fresh harness, then stops and closes both. */
export async function withAdapter(
  options: Partial<SlackAdapterInput>,
  runtime: BotRuntime,
  fn: (h: SlackHttpHarness) => Promise<void>,
): Promise<void> {
  const h = await SlackHttpHarness.create(options);
  await h.adapter.start(runtime);
  try {
    await fn(h);
  } finally {
    await h.adapter.stop();
    await h.close();
  }
}
