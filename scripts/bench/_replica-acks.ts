import { mentionEvent, postSigned } from '../../tests/e2e/replicas/slack.js';
import type { FakeSlack } from '../../tests/unit/slack/fake-slack.js';
import { percentile } from './harness.js';

export { slackForReplicas } from '../../tests/e2e/replicas/slack.js';

const CONCURRENCY = 16;

function mention(i: number, prefix: string, base: number): string {
  return mentionEvent(`${prefix}${i}`, `${base}.${String(i).padStart(6, '0')}`, `How often does the key change? ${i}`);
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
      const started = performance.now();
      const res = await postSigned(url, body, 'application/json');
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
