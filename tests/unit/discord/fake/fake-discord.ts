import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeGateway } from './fake-gateway.js';
import { FakeRest } from './fake-rest.js';
import { channelObject, guildCreate, messageObject, userObject } from './payloads.js';
import { installRoutes } from './routes.js';
import { nextSnowflake } from './snowflake.js';
import { type FakeChannel, type FakeMessage, FakeWorld } from './world.js';

export interface FakeDiscordOptions {
  token?: string;
  applicationId?: string;
  botId?: string;
  /** A recorded READY frame to adapt (its user, application, guilds and resume URL are replaced). */
  readyFixture?: string;
}

interface ServedFile {
  bytes: Buffer;
  /** Size the attachment claims, when a test wants it to lie. */
  claimedSize?: number;
}

/** A loopback Discord: REST under /api/v10, a gateway WebSocket on the same port, and a CDN under /cdn. */
export class FakeDiscord {
  readonly token: string;
  readonly applicationId: string;
  readonly world: FakeWorld;
  readonly rest: FakeRest;
  readonly expired = new Set<string>();
  readonly cdnRequests: string[] = [];
  gateway!: FakeGateway;
  private server!: Server;
  private baseUrl = '';
  private readonly announced = new Set<string>();
  private readonly acks = new Map<string, number>();
  private readonly files = new Map<string, ServedFile>();

  constructor(private readonly options: FakeDiscordOptions = {}) {
    this.token = options.token ?? 'fake-bot-token';
    this.applicationId = options.applicationId ?? nextSnowflake();
    this.world = new FakeWorld({ id: options.botId ?? this.applicationId, username: 'TeamKB', bot: true });
    this.rest = new FakeRest(this.token);
    installRoutes(this);
  }

  get apiUrl(): string {
    return `${this.baseUrl}/api`;
  }

  get gatewayUrl(): string {
    return this.baseUrl.replace(/^http/, 'ws');
  }

  get botId(): string {
    return this.world.bot.id;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.route(req, res));
    this.gateway = new FakeGateway(this.server);
    this.gateway.onIdentify = () => this.readyBody();
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await this.gateway.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Declares a channel (and its guild) the next dispatch may need; announced to the bot lazily. */
  channel(c: FakeChannel): FakeChannel {
    this.world.channels.set(c.id, c);
    return c;
  }

  /** Sends GUILD_CREATE / CHANNEL_CREATE / THREAD_CREATE so discord.js has the channel cached, as Discord would have. */
  async announce(channelId: string): Promise<void> {
    const c = this.world.channels.get(channelId);
    if (!c?.guildId || this.announced.has(c.id)) return;
    if (!this.announced.has(c.guildId)) {
      await this.gateway.dispatch('GUILD_CREATE', guildCreate(this.world, c.guildId));
      this.announced.add(c.guildId);
      for (const other of this.world.channels.values()) if (other.guildId === c.guildId) this.announced.add(other.id);
      return;
    }
    await this.gateway.dispatch(c.type === 11 ? 'THREAD_CREATE' : 'CHANNEL_CREATE', channelObject(c));
    this.announced.add(c.id);
  }

  /** Serves bytes on the fake CDN and returns the attachment URL. */
  serveFile(name: string, bytes: Buffer, claimedSize?: number): { url: string; size: number } {
    const path = `/cdn/attachments/${nextSnowflake()}/${encodeURIComponent(name)}`;
    this.files.set(path, { bytes, claimedSize });
    return { url: `${this.baseUrl}${path}?ex=1&is=2&hm=3`, size: claimedSize ?? bytes.length };
  }

  /** Discord tells the bot about its own messages too; the adapter must ignore them. */
  async echo(m: FakeMessage): Promise<void> {
    await this.gateway.dispatch('MESSAGE_CREATE', messageObject(this.world, m));
  }

  noteAck(interactionId: string): void {
    if (!this.acks.has(interactionId)) this.acks.set(interactionId, performance.now());
  }

  ackedAt(interactionId: string): number | undefined {
    return this.acks.get(interactionId);
  }

  /** Bot messages keyed by id with their current content (after all edits). */
  botMessages(): FakeMessage[] {
    return this.world.botMessages();
  }

  private readyBody(): unknown {
    // A new session knows nothing yet: guilds are announced again, as Discord does after IDENTIFY.
    this.announced.clear();
    const fixture = this.options.readyFixture
      ? (JSON.parse(readFileSync(this.options.readyFixture, 'utf8')) as { d: Record<string, unknown> }).d
      : { v: 10, user_settings: {}, relationships: [], private_channels: [], presences: [], shard: [0, 1] };
    return {
      ...fixture,
      v: 10,
      user: { ...userObject(this.world.bot), verified: true, mfa_enabled: false, flags: 0 },
      session_id: 'fake-session',
      resume_gateway_url: this.gatewayUrl,
      // Announced later, one GUILD_CREATE each, so the client is ready at once.
      guilds: [],
      application: { id: this.applicationId, flags: 0 },
    };
  }

  private async route(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname.startsWith('/api/')) return this.rest.handle(req, res, url);
    const file = this.files.get(url.pathname);
    this.cdnRequests.push(url.pathname);
    if (req.method !== 'GET' || !file) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(file.bytes.length) });
    res.end(file.bytes);
  }
}
