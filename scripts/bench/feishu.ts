import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { createFeishuAdapter } from '../../adapters/feishu/index.js';
import type { Reply } from '../../core/chat.js';
import { APP_ID, mentionEvent, signedRequest } from '../../tests/unit/feishu/fake/events.js';
import { mountRoutes, post } from '../../tests/unit/feishu/fake/mount.js';
import { FakeOpenApi } from '../../tests/unit/feishu/fake/open-api.js';
import { ScriptedRuntime } from '../../tests/unit/feishu/fake/scripted-runtime.js';
import { type BenchFn, type BenchRow, percentile } from './harness.js';

const ENCRYPT_KEY = 'bench-encrypt-key';
const TOKEN = 'bench-verification-token';
const CONCURRENCY = 10;
/** Arrival rate of the paced run (events per second). */
const RATE = 40;

/** A slow model: 20 tokens, 15 ms apart, then the final answer. */
async function slowAnswer(reply: Reply, done: () => void): Promise<void> {
  await reply.write({ type: 'status', text: 'Searching…' });
  for (let i = 0; i < 20; i++) {
    await new Promise((r) => setTimeout(r, 15));
    await reply.write({ type: 'text', text: `token${i} ` });
  }
  const citation = { n: 1, file: 'guide.pdf', page: 1, snippet: 's' };
  await reply.write({
    type: 'done',
    answer: { markdown: 'final answer [1]', citations: [citation], sources: ['bench'], mode: 'kb', answerId: 'a' },
  });
  done();
}

type Request = { body: string; headers: Record<string, string> };

async function timed(url: string, request: Request): Promise<number> {
  const started = performance.now();
  const res = await post(url, request.body, request.headers);
  if (res.status !== 200) throw new Error(`request refused: ${res.status} ${res.body}`);
  return performance.now() - started;
}

/** Closed loop: a fixed number of requests in flight, each sent as soon as one is acked. */
async function burst(requests: Request[], url: string): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < requests.length) latencies.push(await timed(url, requests[next++] as Request));
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return latencies.sort((a, b) => a - b);
}

/** Open loop: requests arrive at a steady rate whatever the acks do (how a platform delivers). */
async function paced(requests: Request[], url: string, perSecond: number): Promise<number[]> {
  const started = performance.now();
  const pending = requests.map(async (request, i) => {
    const wait = started + (i * 1000) / perSecond - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    return timed(url, request);
  });
  return (await Promise.all(pending)).sort((a, b) => a - b);
}

/** Starts the fake Open API in a child process and returns its URL. */
async function fakeProcess(): Promise<{ child: ChildProcess; url: string }> {
  const entry = fileURLToPath(new URL('../../tests/unit/feishu/fake/server-process.ts', import.meta.url));
  const child = fork(entry, { execArgv: ['--import', 'tsx'] });
  const [ready] = (await once(child, 'message')) as [{ url: string }];
  return { child, url: ready.url };
}

async function ask<T>(child: ChildProcess, message: string): Promise<T> {
  child.send(message);
  const [answer] = (await once(child, 'message')) as [T];
  return answer;
}

async function bareServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/feishu/events`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export const run: BenchFn = async ({ quick }) => {
  const events = quick ? 50 : 200;
  const platform = await fakeProcess();
  let completed = 0;
  const runtime = new ScriptedRuntime((_event, reply) => slowAnswer(reply, () => completed++));
  const logger = pino({ level: 'silent' });
  const http = createFeishuAdapter(
    { mode: 'http', appId: APP_ID, appSecret: 's', domain: platform.url, encryptKey: ENCRYPT_KEY, verificationToken: TOKEN },
    logger,
  );
  await http.start(runtime);
  const mounted = await mountRoutes(http.httpRoutes());
  const bare = await bareServer();

  const build = () =>
    Array.from({ length: events }, (_, i) => {
      const event = mentionEvent(`question ${i}`, `oc_bench_${i % 20}`);
      (event.header as { token: string }).token = TOKEN;
      return signedRequest(event, ENCRYPT_KEY);
    });
  const adapterUrl = `${mounted.url}/feishu/events`;
  await burst(build().slice(0, 20), bare.url); // warm the client
  const pacedBare = await paced(build(), bare.url, RATE);
  const pacedAdapter = await paced(build(), adapterUrl, RATE);
  await http.idle();
  const burstBare = await burst(build(), bare.url);
  const burstAdapter = await burst(build(), adapterUrl);
  await http.idle();
  const stats = await ask<{ answersShown: number; calls: number }>(platform.child, 'stats');
  const answersShown = stats.answersShown;
  platform.child.send('close');

  // Long connection: acks measured one at a time against an in-process fake endpoint.
  const fake = new FakeOpenApi();
  await fake.start();
  const ws = createFeishuAdapter({ mode: 'ws', appId: APP_ID, appSecret: 's', domain: fake.url }, logger);
  await ws.start(new ScriptedRuntime(async () => undefined));
  while (!fake.ws.connected) await new Promise((r) => setTimeout(r, 10));
  const wsAcks: number[] = [];
  for (let i = 0; i < events; i++) {
    const started = performance.now();
    await fake.ws.push(mentionEvent(`ws question ${i}`, 'oc_ws'));
    wsAcks.push(performance.now() - started);
  }
  wsAcks.sort((a, b) => a - b);
  await ws.idle();

  await Promise.all([http.stop(), ws.stop()]);
  await Promise.all([mounted.close(), bare.close()]);
  await fake.close();

  const p99 = percentile(pacedAdapter, 99);
  const bareName = 'bare node:http';
  const rows: BenchRow[] = [
    {
      name: `ack p50, ${RATE}/s arrivals`,
      value: percentile(pacedAdapter, 50),
      unit: 'ms',
      baseline: percentile(pacedBare, 50),
      baselineName: bareName,
    },
    {
      name: `ack p99, ${RATE}/s arrivals`,
      value: p99,
      unit: 'ms',
      baseline: percentile(pacedBare, 99),
      baselineName: bareName,
      target: 'p99 <= 100 ms',
      met: p99 <= 100,
    },
    {
      name: `ack p50, burst ${CONCURRENCY} in flight`,
      value: percentile(burstAdapter, 50),
      unit: 'ms',
      baseline: percentile(burstBare, 50),
      baselineName: bareName,
    },
    {
      name: `ack p99, burst ${CONCURRENCY} in flight`,
      value: percentile(burstAdapter, 99),
      unit: 'ms',
      baseline: percentile(burstBare, 99),
      baselineName: bareName,
    },
    { name: 'answers completed', value: completed, unit: 'answers', target: `${2 * events}`, met: completed === 2 * events },
    {
      name: 'final answer cards shown',
      value: answersShown,
      unit: 'cards',
      target: `${2 * events}`,
      met: answersShown === 2 * events,
    },
    { name: 'long-connection ack p50 (one at a time)', value: percentile(wsAcks, 50), unit: 'ms' },
    { name: 'long-connection ack p99 (one at a time)', value: percentile(wsAcks, 99), unit: 'ms' },
  ];
  return {
    name: 'feishu',
    rows,
    notes: [
      `${events} signed, encrypted im.message.receive_v1 callbacks per run: one run arriving at ${RATE}/s, one closed-loop burst (${CONCURRENCY} in flight)`,
      'runtime streams 20 tokens 15 ms apart per answer (CardKit streaming, 500 ms update spacing); the fake platform runs in a child process',
      'baseline: a bare node:http handler answering 200 to the same requests with the same arrival pattern, same process',
      'the first events of a run also pay for lazy module loading in the SDK/axios; no warm-up is excluded',
    ],
    extra: { events, apiCalls: stats.calls },
  };
};
