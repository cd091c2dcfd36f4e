import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { WebSocket } from 'ws';
import { createDiscordAdapter } from '../../adapters/discord/adapter.js';
import { DISCORD_DEFAULTS } from '../../adapters/discord/options.js';
import { ScriptedRuntime } from '../../tests/helpers/scripted-runtime.js';
import type { DiscordSide } from './_discord-side.js';
import { slowCitedAnswer } from './_slow-answer.js';
import { type BenchFn, percentile } from './harness.js';

const INTERVAL_MS = 10;
const WARMUP = 30;

/** Calls DiscordSide methods in the child process. */
class Side {
  // A forked child inherits this process's tsx loader, so it can start from a TypeScript file.
  private readonly child: ChildProcess = fork(fileURLToPath(new URL('./_discord-child.ts', import.meta.url)));
  private seq = 0;

  async call<K extends keyof DiscordSide>(
    op: K,
    ...args: unknown[]
  ): Promise<Awaited<ReturnType<Extract<DiscordSide[K], (...a: never[]) => unknown>>>> {
    const id = ++this.seq;
    this.child.send({ id, op, args });
    for (;;) {
      const [msg] = (await once(this.child, 'message')) as [{ id: number; result: never; error?: string }];
      if (msg.id !== id) continue;
      if (msg.error) throw new Error(msg.error);
      return msg.result;
    }
  }

  async close(): Promise<void> {
    await this.call('stop');
    this.child.disconnect();
  }
}

/** The least a gateway bot can do: identify, and on each interaction POST the ack straight back. */
async function bareGatewayClient(gatewayUrl: string, apiUrl: string, token: string): Promise<WebSocket> {
  const socket = new WebSocket(`${gatewayUrl}/?v=10&encoding=json`);
  let ready: () => void = () => {};
  const isReady = new Promise<void>((resolve) => {
    ready = resolve;
  });
  socket.on('message', (raw) => {
    const frame = JSON.parse(String(raw)) as { op: number; t?: string; d: { id: string; token: string } };
    if (frame.op === 10) socket.send(JSON.stringify({ op: 2, d: { token, intents: 0, properties: {} } }));
    if (frame.t === 'READY') ready();
    if (frame.t === 'INTERACTION_CREATE') {
      void fetch(`${apiUrl}/v10/interactions/${frame.d.id}/${frame.d.token}/callback`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"type":5}',
      }).then((res) => res.arrayBuffer());
    }
  });
  await isReady;
  return socket;
}

export const run: BenchFn = async ({ quick }) => {
  const events = quick ? 50 : 200;
  const mentions = quick ? 20 : 50;
  const side = new Side();
  const fake = await side.call('start');
  try {
    const bare = await bareGatewayClient(fake.gatewayUrl, fake.apiUrl, fake.token);
    await side.call('replayCommands', 'bare-warm', WARMUP, INTERVAL_MS);
    const baseline = (await side.call('replayCommands', 'bare', events, INTERVAL_MS)).sort((a, b) => a - b);
    bare.close();

    const adapter = createDiscordAdapter(
      { token: fake.token, applicationId: fake.applicationId, apiUrl: fake.apiUrl },
      pino({ level: 'silent' }),
    );
    await adapter.start(new ScriptedRuntime(slowCitedAnswer));
    try {
      await side.call('replayCommands', 'warm', WARMUP, INTERVAL_MS);
      const started = performance.now();
      const acks = (await side.call('replayCommands', 'bench', events, INTERVAL_MS)).sort((a, b) => a - b);
      let answered = await side.call('answered', 'bench');
      while (answered < events && performance.now() - started < 60_000) {
        await sleep(100);
        answered = await side.call('answered', 'bench');
      }
      const allDoneMs = performance.now() - started;
      // Let discord.js's client-side global limit (50 requests/s, as Discord enforces) reset between the phases.
      await sleep(1100);
      const firstVisible = (await side.call('replayMentions', 'mentions', mentions, INTERVAL_MS)).sort((a, b) => a - b);
      const p99 = percentile(acks, 99);
      return {
        name: 'discord',
        rows: [
          {
            name: 'ack latency p50 (/kb → deferReply)',
            value: percentile(acks, 50),
            unit: 'ms',
            baseline: percentile(baseline, 50),
            baselineName: 'bare ws+http ack',
          },
          {
            name: 'ack latency p99 (/kb → deferReply)',
            value: p99,
            unit: 'ms',
            baseline: percentile(baseline, 99),
            baselineName: 'bare ws+http ack',
            target: 'p99 <= 100 ms',
            met: p99 <= 100,
          },
          { name: 'answers completed', value: answered, unit: `of ${events}`, target: `${events}`, met: answered === events },
          { name: 'all answers done after', value: allDoneMs / 1000, unit: 's' },
          { name: 'mention → first visible message p50', value: percentile(firstVisible, 50), unit: 'ms' },
          { name: 'mention → first visible message p99', value: percentile(firstVisible, 99), unit: 'ms' },
        ],
        notes: [
          `${events} /kb ask interactions sent over the gateway ${INTERVAL_MS} ms apart to a real discord.js client; the fake Discord (REST + gateway) runs in a child process.`,
          'Ack latency: from the fake gateway sending INTERACTION_CREATE to the fake REST receiving the deferReply callback.',
          'Baseline: a bare ws client on the same fake gateway that POSTs the same callback at once (no discord.js, no adapter).',
          `Runtime: status + 20 text parts 25 ms apart (~0.5 s) + citation + done; edits throttled to ${DISCORD_DEFAULTS.editIntervalMs} ms.`,
          `Mentions: ${mentions} sent the same way; first visible message = thread created + "Thinking…" posted. A burst like this needs ~5 requests per mention and is bounded by the 50 requests/s global limit discord.js enforces (as Discord does).`,
        ],
        extra: { restCalls: await side.call('restCalls') },
      };
    } finally {
      await adapter.stop();
    }
  } finally {
    await side.close();
  }
};
