import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { type WebSocket, WebSocketServer } from 'ws';
import { decodeFrame, encodeFrame } from './ws-frame.js';

const SERVICE_ID = 7;
const DATA = 1;

/**
 * The long-connection side of the fake: `/callback/ws/endpoint` hands out a loopback ws:// URL,
 * events go down as protobuf data frames, and each push resolves with the client's ack frame.
 */
export class FakeLongConnection {
  private server: WebSocketServer | undefined;
  private socket: WebSocket | undefined;
  private baseUrl = '';
  private readonly pending = new Map<string, (ack: Record<string, unknown>) => void>();
  connections = 0;
  /** The client sent its first frame (the ping it sends once open), so it is listening for frames too. */
  private heard = false;

  attach(http: Server, baseUrl: string): void {
    this.baseUrl = baseUrl;
    this.server = new WebSocketServer({ server: http, path: '/ws' });
    this.server.on('connection', (socket) => {
      this.connections++;
      this.socket = socket;
      this.heard = false;
      socket.on('message', (data) => {
        if (this.socket === socket) this.heard = true;
        this.onFrame(data as Buffer);
      });
    });
  }

  endpointResponse(): Record<string, unknown> {
    const url = `${this.baseUrl.replace(/^http/, 'ws')}/ws?device_id=fake-device&service_id=${SERVICE_ID}`;
    return {
      code: 0,
      msg: 'ok',
      data: { URL: url, ClientConfig: { PingInterval: 120, ReconnectCount: -1, ReconnectInterval: 1, ReconnectNonce: 0 } },
    };
  }

  /** Open and heard from: a frame pushed earlier could reach the SDK before it listens, and be lost. */
  get connected(): boolean {
    return this.socket?.readyState === 1 && this.heard;
  }

  /** Sends one event (split into `parts` fragments, as the platform does for large events); resolves with the ack payload. */
  push(payload: unknown, parts = 1): Promise<Record<string, unknown>> {
    const socket = this.socket;
    if (socket?.readyState !== 1) return Promise.reject(new Error('no long connection open'));
    const messageId = randomUUID();
    const bytes = Buffer.from(JSON.stringify(payload));
    const size = Math.ceil(bytes.length / parts);
    const acked = new Promise<Record<string, unknown>>((resolve) => this.pending.set(messageId, resolve));
    for (let seq = 0; seq < parts; seq++) {
      const headers = {
        type: 'event',
        message_id: messageId,
        sum: String(parts),
        seq: String(seq),
        trace_id: `trace-${messageId}`,
      };
      const chunk = bytes.subarray(seq * size, (seq + 1) * size);
      socket.send(encodeFrame({ seqId: seq, logId: 0, service: SERVICE_ID, method: DATA, headers, payload: chunk }));
    }
    return acked;
  }

  /** Sends bytes that are not a valid frame (the client must survive it). */
  pushGarbage(): void {
    this.socket?.send(Buffer.from([0xff, 0xff, 0xff, 0x01, 0x02]));
  }

  private onFrame(data: Buffer): void {
    let frame: ReturnType<typeof decodeFrame>;
    try {
      frame = decodeFrame(data);
    } catch {
      return;
    }
    if (frame.method !== DATA) return;
    const messageId = frame.headers.message_id;
    const resolve = messageId ? this.pending.get(messageId) : undefined;
    if (!resolve || !messageId) return;
    this.pending.delete(messageId);
    resolve(JSON.parse(frame.payload?.toString('utf8') ?? '{}') as Record<string, unknown>);
  }

  async close(): Promise<void> {
    for (const client of this.server?.clients ?? []) client.terminate();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
