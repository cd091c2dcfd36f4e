import { signSlackRequest } from '../../adapters/slack/signature.js';
import { FakeSlack } from '../../tests/unit/slack/fake-slack.js';
import { percentile } from './harness.js';

const SECRET = 'bench-replicas-signing-secret';
const CONCURRENCY = 16;

/** The fake Slack Web API the replicas answer to, and the settings that make them take Events API posts. */
export async function slackForReplicas(): Promise<{ fake: FakeSlack; env: Record<string, string> }> {
  const fake = await new FakeSlack().listen();
  const env = {
    SLACK_BOT_TOKEN: fake.botToken,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_MODE: 'http',
    SLACK_API_URL: fake.apiUrl,
  };
  return { fake, env };
}

function mention(i: number, prefix: string, base: number): string {
  const ts = `${base}.${String(i).padStart(6, '0')}`;
  const event = { type: 'app_mention', channel: 'C1', user: 'U1', ts, text: `<@UBOT> How often does the key change? ${i}` };
  return JSON.stringify({ type: 'event_callback', team_id: 'T1', event_id: `${prefix}${i}`, event });
}

/**
 * Sends `n` signed app mentions, each to every replica given (as Slack retries may land on another
 * replica behind a load balancer), CONCURRENCY at a time: time to each acknowledgement, and how many
 * answers the fake Slack received once the replicas settled (one per event when dedupe holds).
 */
export async function ackRun(
  fake: FakeSlack,
  urls: string[],
  n: number,
  prefix: string,
  base: number,
): Promise<{ p99: number; messagesPerEvent: number; failed: number }> {
  const sends = Array.from({ length: n }, (_, i) => urls.map((url) => ({ url, body: mention(i, prefix, base) }))).flat();
  const latencies: number[] = [];
  let failed = 0;
  let next = 0;
  const worker = async () => {
    while (next < sends.length) {
      const { url, body } = sends[next++] as { url: string; body: string };
      const ts = String(Math.floor(Date.now() / 1000));
      const started = performance.now();
      const res = await fetch(`${url}/slack/events`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-slack-request-timestamp': ts,
          'x-slack-signature': signSlackRequest(SECRET, ts, body),
        },
        body,
      });
      await res.text();
      latencies.push(performance.now() - started);
      if (res.status !== 200) failed++;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  // Answers are posted in the mention's thread after the acknowledgement: wait until no more arrive.
  const posted = () => fake.allMessages().filter((m) => m.thread?.startsWith(`${base}.`)).length;
  let last = -1;
  for (let i = 0; i < 100 && posted() !== last; i++) {
    last = posted();
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const p99 = percentile(
    latencies.sort((a, b) => a - b),
    99,
  );
  return { p99, messagesPerEvent: posted() / n, failed };
}
