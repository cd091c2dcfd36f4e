import type { Server } from 'node:http';
import { type WebSocket, WebSocketServer } from 'ws';

export interface GatewayFrame {
  op: number;
  t?: string | null;
  s?: number | null;
  d: unknown;
}

/**
 * A loopback Discord gateway: HELLO on connect, READY after IDENTIFY, heartbeat ACKs, and
 * dispatches on demand. One bot connection at a time (the latest one receives dispatches).
 */
export class FakeGateway {
  private readonly wss: WebSocketServer;
  private socket: WebSocket | undefined;
  private seq = 0;
  private identifiedResolve: (() => void) | undefined;
  readonly identifies: { intents: number; token: string }[] = [];
  /** Every dispatch sent, in order (tests replay them). */
  readonly sent: GatewayFrame[] = [];
  /** Called after IDENTIFY to produce the READY body (and any follow-up dispatches). */
  onIdentify: () => unknown = () => ({});
  identified: Promise<void>;

  constructor(server: Server) {
    this.wss = new WebSocketServer({ server });
    this.identified = new Promise((resolve) => {
      this.identifiedResolve = resolve;
    });
    this.wss.on('connection', (socket) => this.accept(socket));
  }

  async dispatch(t: string, d: unknown): Promise<void> {
    const frame: GatewayFrame = { op: 0, t, s: ++this.seq, d };
    this.sent.push(frame);
    await this.send(frame);
  }

  /** Sends an arbitrary frame (malformed ones included). */
  async sendRaw(data: string): Promise<void> {
    const socket = this.socket;
    if (!socket) throw new Error('no gateway connection');
    await new Promise<void>((resolve, reject) => socket.send(data, (err) => (err ? reject(err) : resolve())));
  }

  async close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private accept(socket: WebSocket): void {
    this.socket = socket;
    void this.send({ op: 10, d: { heartbeat_interval: 41_250 } });
    socket.on('message', (raw) => {
      let frame: GatewayFrame;
      try {
        frame = JSON.parse(String(raw)) as GatewayFrame;
      } catch {
        return;
      }
      if (frame.op === 1) void this.send({ op: 11, d: null });
      if (frame.op === 2) void this.identify(frame.d as { intents: number; token: string });
    });
  }

  private async identify(d: { intents: number; token: string }): Promise<void> {
    this.identifies.push({ intents: d.intents, token: d.token });
    await this.dispatch('READY', this.onIdentify());
    this.identifiedResolve?.();
  }

  private async send(frame: GatewayFrame): Promise<void> {
    const socket = this.socket;
    if (!socket) throw new Error('no gateway connection');
    await new Promise<void>((resolve, reject) => socket.send(JSON.stringify(frame), (err) => (err ? reject(err) : resolve())));
  }
}
