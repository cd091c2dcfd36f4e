import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { createSlackAdapter, type SlackAdapter } from '../../../adapters/slack/adapter.js';
import { FakeSlack } from './fake-slack.js';
import { ScriptedRuntime, streamAnswer } from './scripted-runtime.js';

/**
 * Socket Mode against loopback fakes: apps.connections.open hands out a ws:// URL of a local
 * WebSocket server that says hello, pushes envelopes and expects each to be acked by envelope_id.
 */
describe('Slack Socket Mode (real SocketModeReceiver, fake Slack)', () => {
  const fake = new FakeSlack();
  const runtime = new ScriptedRuntime(async (e, reply) => {
    if (e.kind === 'command') return reply.write({ type: 'message', markdown: `did ${e.text}` });
    await streamAnswer(reply, 'Socket answer [1].');
  });
  const acks: Array<Record<string, unknown>> = [];
  let wss: WebSocketServer;
  let socket: WebSocket | undefined;
  let adapter: SlackAdapter;

  beforeAll(async () => {
    await fake.listen();
    wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await once(wss, 'listening');
    fake.socketUrl = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/link/?ticket=t1`;
    wss.on('connection', (ws) => {
      socket = ws;
      ws.on('message', (data) => acks.push(JSON.parse(String(data)) as Record<string, unknown>));
      ws.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A1' } }));
    });
    adapter = createSlackAdapter(
      {
        mode: 'socket',
        botToken: fake.botToken,
        appToken: 'xapp-test',
        apiUrl: fake.apiUrl,
        streaming: 'update',
        updateIntervalMs: 20,
      },
      pino({ level: process.env.TEAMKB_TEST_LOG ?? 'silent' }),
    );
    await adapter.start(runtime);
  });

  afterAll(async () => {
    await adapter.stop();
    for (const client of wss.clients) client.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
    await fake.close();
  });

  const send = async (envelope: Record<string, unknown>) => {
    socket?.send(JSON.stringify(envelope));
    await until(() => acks.some((a) => a.envelope_id === envelope.envelope_id));
    return acks.find((a) => a.envelope_id === envelope.envelope_id) as Record<string, unknown>;
  };
  const mentionEnvelope = (envelopeId: string, retry = 0) => ({
    envelope_id: envelopeId,
    type: 'events_api',
    accepts_response_payload: false,
    retry_attempt: retry,
    retry_reason: retry ? 'timeout' : '',
    payload: {
      type: 'event_callback',
      team_id: 'T1',
      event_id: 'EvSocket1',
      event: { type: 'app_mention', channel: 'C1', user: 'U1', ts: '1700.0001', text: '<@UBOT> over the socket?' },
    },
  });

  it('connected through apps.connections.open at SLACK_API_URL', () => {
    expect(fake.callsOf('apps.connections.open')).toHaveLength(1);
    expect(adapter.identity).toEqual({ botUserId: 'UBOT', botId: 'BBOT', teamId: 'T1' });
  });

  it('acks an events_api envelope and answers in the thread', async () => {
    expect(await send(mentionEnvelope('env-1'))).toMatchObject({ envelope_id: 'env-1' });
    await until(() => fake.allMessages().some((m) => m.text.includes('Socket answer')));
    expect(runtime.events[0]).toMatchObject({ kind: 'message', text: 'over the socket?', eventId: 'EvSocket1' });
    expect(fake.callsOf('chat.postMessage')[0]?.args).toMatchObject({ channel: 'C1', thread_ts: '1700.0001' });
  });

  it('acks a redelivery (retry_attempt) without answering again', async () => {
    const posts = fake.callsOf('chat.postMessage').length;
    expect(await send(mentionEnvelope('env-2', 1))).toMatchObject({ envelope_id: 'env-2' });
    await new Promise((r) => setTimeout(r, 100));
    expect(runtime.events).toHaveLength(1);
    expect(fake.callsOf('chat.postMessage')).toHaveLength(posts);
  });

  it('acks a slash command with the "Working…" payload, then posts the result', async () => {
    const ack = await send({
      envelope_id: 'env-3',
      type: 'slash_commands',
      accepts_response_payload: true,
      payload: {
        team_id: 'T1',
        channel_id: 'C1',
        user_id: 'U1',
        command: '/kb',
        text: 'list',
        trigger_id: 'tr-3',
        response_url: fake.responseUrl('c3'),
      },
    });
    expect(ack).toEqual({ envelope_id: 'env-3', payload: { response_type: 'ephemeral', text: 'Working…' } });
    await until(() => fake.callsOf('chat.postMessage').some((c) => c.args.text === 'did list'));
  });
});

async function until(fn: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}
