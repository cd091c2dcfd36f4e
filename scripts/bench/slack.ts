import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { createSlackAdapter } from '../../adapters/slack/adapter.js';
import { signSlackRequest } from '../../adapters/slack/signature.js';
import { ScriptedRuntime } from '../../tests/helpers/scripted-runtime.js';
import { FakeSlack } from '../../tests/unit/slack/fake-slack.js';
import { mountRoutes } from '../../tests/unit/slack/http-harness.js';
import { slowCitedAnswer } from './_slow-answer.js';
import { type BenchFn, percentile } from './harness.js';

const SECRET = 'bench-signing-secret';
const CONCURRENCY = 20;
const WARMUP = 100;
/** Marks the forked child that plays Slack. */
const SLACK_SIDE_FLAG = '--slack-side';

function mentionBody(i: number, prefix = 'EvBench'): string {
  const event = {
    type: 'app_mention',
    channel: 'C1',
    user: 'U1',
    ts: `1700000000.${String(i).padStart(6, '0')}`,
    text: `<@UBOT> q ${i}`,
  };
  return JSON.stringify({ type: 'event_callback', team_id: 'T1', event_id: `${prefix}${i}`, event });
}

/** Sends every body, CONCURRENCY at a time, signed as Slack signs; returns each time to response. */
async function replay(url: string, bodies: string[]): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < bodies.length) {
      const body = bodies[next++] as string;
      const ts = String(Math.floor(Date.now() / 1000));
      const headers = {
        'content-type': 'application/json',
        'x-slack-request-timestamp': ts,
        'x-slack-signature': signSlackRequest(SECRET, ts, body),
      };
      const started = performance.now();
      const res = await fetch(url, { method: 'POST', headers, body });
      await res.text();
      latencies.push(performance.now() - started);
      if (res.status !== 200) throw new Error(`request answered ${res.status}`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return latencies;
}

type SideRequest = { id: number; op: 'replay'; url: string; bodies: string[] } | { id: number; op: 'answers' | 'close' };

/** Child-process side: the fake Slack Web API plus the load generator, on their own event loop. */
async function slackSideMain(): Promise<void> {
  const fake = await new FakeSlack().listen();
  process.send?.({ id: 0, result: { apiUrl: fake.apiUrl, botToken: fake.botToken } });
  process.on('message', async (msg: SideRequest) => {
    try {
      let result: unknown;
      if (msg.op === 'replay') result = await replay(msg.url, msg.bodies);
      else if (msg.op === 'answers') {
        const answered = fake.allMessages().filter((m) => (m.blocks ?? []).some((b) => b.type === 'actions')).length;
        result = { answered, calls: fake.calls.filter((c) => c.method !== 'auth.test').length };
      } else {
        await fake.close();
        process.send?.({ id: msg.id, result: true }, () => process.exit(0));
        return;
      }
      process.send?.({ id: msg.id, result });
    } catch (err) {
      process.send?.({ id: msg.id, error: String(err) });
    }
  });
}

/**
 * Slack's side runs in a child process, so neither the fake platform nor the load generator
 * shares the event loop of the adapter being measured (in production Slack is far away too).
 */
class SlackSide {
  private child: ChildProcess | undefined;
  private seq = 0;

  async start(): Promise<{ apiUrl: string; botToken: string }> {
    this.child = fork(fileURLToPath(import.meta.url), [SLACK_SIDE_FLAG]);
    return this.reply(0);
  }

  call<T>(op: 'answers' | 'close'): Promise<T>;
  call<T>(op: 'replay', args: { url: string; bodies: string[] }): Promise<T>;
  call<T>(op: SideRequest['op'], args: Record<string, unknown> = {}): Promise<T> {
    const id = ++this.seq;
    this.child?.send({ id, op, ...args });
    return this.reply(id);
  }

  async latencies(url: string, bodies: string[]): Promise<number[]> {
    return (await this.call<number[]>('replay', { url, bodies })).sort((a, b) => a - b);
  }

  private async reply<T>(id: number): Promise<T> {
    for (;;) {
      const [msg] = (await once(this.child as ChildProcess, 'message')) as [{ id: number; result: T; error?: string }];
      if (msg.id !== id) continue;
      if (msg.error) throw new Error(msg.error);
      return msg.result;
    }
  }
}

async function bareServerLatencies(slack: SlackSide, bodies: string[]): Promise<number[]> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200).end());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    return await slack.latencies(`http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`, bodies);
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

export const run: BenchFn = async ({ quick }) => {
  const events = quick ? 50 : 200;
  const bodies = Array.from({ length: events }, (_, i) => mentionBody(i));
  const slack = new SlackSide();
  const fake = await slack.start();
  const adapter = createSlackAdapter(
    { mode: 'http', botToken: fake.botToken, signingSecret: SECRET, apiUrl: fake.apiUrl },
    pino({ level: 'silent' }),
  );
  let handled = 0;
  const runtime = new ScriptedRuntime(async (event, reply) => {
    if (event.eventId.startsWith('EvWarm')) return;
    handled += 1;
    await slowCitedAnswer(event, reply);
  });
  await adapter.start(runtime);
  const { url, server } = await mountRoutes(adapter.httpRoutes());
  try {
    // Warm both paths (JIT, lazy SDK code, connection pool) before measuring either.
    const warmup = Array.from({ length: WARMUP }, (_, i) => mentionBody(i, 'EvWarm'));
    await bareServerLatencies(slack, warmup);
    await slack.latencies(`${url}/slack/events`, warmup);
    const baseline = await bareServerLatencies(slack, bodies);
    const started = performance.now();
    const acks = await slack.latencies(`${url}/slack/events`, bodies);
    let done = await slack.call<{ answered: number; calls: number }>('answers');
    while (done.answered < events && performance.now() - started < 60_000) {
      await sleep(50);
      done = await slack.call<{ answered: number; calls: number }>('answers');
    }
    const allDoneMs = performance.now() - started;
    const p99 = percentile(acks, 99);
    const bare = 'bare node:http 200';
    return {
      name: 'slack',
      rows: [
        {
          name: 'ack latency p50',
          value: percentile(acks, 50),
          unit: 'ms',
          baseline: percentile(baseline, 50),
          baselineName: bare,
        },
        {
          name: 'ack latency p99',
          value: p99,
          unit: 'ms',
          baseline: percentile(baseline, 99),
          baselineName: bare,
          target: 'p99 <= 100 ms',
          met: p99 <= 100,
        },
        {
          name: 'answers completed',
          value: done.answered,
          unit: 'answers',
          target: `${events} of ${events}`,
          met: done.answered === events,
        },
        { name: 'time until every answer was final', value: allDoneMs, unit: 'ms' },
        { name: 'Web API calls per answer', value: done.calls / Math.max(1, done.answered), unit: 'calls' },
      ],
      notes: [
        `${events} signed app_mention deliveries over HTTP, ${CONCURRENCY} in flight, after ${WARMUP} unanswered warm-up deliveries on each path; real Bolt app with the custom receiver.`,
        'The fake Slack Web API and the load generator run in a child process; the bare server (baseline) runs where the adapter runs.',
        'Slow runtime: status + 20 text parts 25 ms apart + citation + done per event; updates throttled at the default 1 s per message.',
        'Ack latency: time from sending a signed request to reading its response (signature check, parse, Bolt dispatch, ack).',
      ],
      extra: { events, concurrency: CONCURRENCY, handled },
    };
  } finally {
    await adapter.stop();
    server.closeAllConnections();
    server.close();
    await slack.call('close');
  }
};

if (process.argv.includes(SLACK_SIDE_FLAG)) await slackSideMain();
