import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlack } from './fake-slack.js';
import { fixtureJson, fixtureText, withFixtures } from './fixtures.js';
import { SIGNING_SECRET, SlackHttpHarness } from './http-harness.js';
import { ScriptedRuntime, streamAnswer } from './scripted-runtime.js';

describe('Slack HTTP mode: verification and protocol', () => {
  let h: SlackHttpHarness;
  const runtime = new ScriptedRuntime(async (_e, reply) => streamAnswer(reply, 'The answer is **forty-two** [1].'));
  beforeAll(async () => {
    h = await SlackHttpHarness.create();
    await h.adapter.start(runtime);
  });
  afterAll(async () => {
    await h.adapter.stop();
    await h.close();
  });
  afterEach(() => {
    runtime.events.length = 0;
  });

  const event = () => ({ type: 'app_mention', channel: 'C1', user: 'U1', ts: h.nextTs(), text: '<@UBOT> hi' });
  const body = (ev: Record<string, unknown>, id: string) =>
    JSON.stringify({ type: 'event_callback', team_id: 'T1', event_id: id, event: ev });
  const apiCallsAfterStart = () => h.fake.calls.filter((c) => c.method !== 'auth.test').length;

  it('answers the url_verification challenge', async () => {
    const res = await h.post(JSON.stringify({ type: 'url_verification', token: 't', challenge: 'chal-123' }));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ challenge: 'chal-123' });
  });

  it.each([
    ['a forged signature', { secret: 'not-the-secret' }],
    ['a request 10 minutes old', { timestamp: Math.floor(Date.now() / 1000) - 600 }],
    ['a request from the future', { timestamp: Math.floor(Date.now() / 1000) + 600 }],
    ['missing headers', { headers: { 'x-slack-signature': '', 'x-slack-request-timestamp': '' } }],
  ])('answers 401 to %s without touching the runtime', async (_name, o) => {
    const before = apiCallsAfterStart();
    const res = await h.post(body(event(), 'EvForged'), o);
    expect(res.status).toBe(401);
    await new Promise((r) => setTimeout(r, 50));
    expect(runtime.events).toHaveLength(0);
    expect(apiCallsAfterStart()).toBe(before);
  });

  it('answers 400 to a signed but unreadable body and keeps running', async () => {
    expect((await h.post('{not json')).status).toBe(400);
    expect((await h.post('payload=%7Bbroken', { contentType: 'application/x-www-form-urlencoded' })).status).toBe(400);
    for (const junk of [
      body({ type: 'app_mention' }, 'EvJunk'),
      '{}',
      '{"type":"event_callback","event":null}',
      '{"type":"block_actions"}',
      '[]',
    ]) {
      expect([200, 400, 500]).toContain((await h.post(junk)).status);
    }
    expect((await h.post(`{"pad":"${'x'.repeat(1_100_000)}"}`)).status).toBe(413);
    expect(runtime.events).toHaveLength(0);
    // Still serving afterwards.
    expect((await h.post(JSON.stringify({ type: 'url_verification', challenge: 'again' }))).status).toBe(200);
  });

  it('acks at once and a retry (X-Slack-Retry-Num) of a handled event produces nothing new', async () => {
    const raw = body(event(), 'EvRetry1');
    expect((await h.post(raw)).status).toBe(200);
    await until(() => h.fake.allMessages().some((m) => m.text.includes('forty-two')));
    const posts = h.fake.callsOf('chat.postMessage').length;
    for (const n of ['1', '2']) {
      const res = await h.post(raw, { headers: { 'x-slack-retry-num': n, 'x-slack-retry-reason': 'http_timeout' } });
      expect(res.status).toBe(200);
    }
    await new Promise((r) => setTimeout(r, 100));
    expect(runtime.events).toHaveLength(1);
    expect(h.fake.callsOf('chat.postMessage')).toHaveLength(posts);
  });

  it('`/kb upload <kb>` answers with instructions and does not reach the runtime', async () => {
    const res = await h.postCommand({ text: 'upload handbook' });
    expect(JSON.parse(res.body)).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringContaining('`upload handbook`'),
    });
    expect(runtime.events).toHaveLength(0);
  });

  it('other commands are acked with an ephemeral "Working…"', async () => {
    const res = await h.postCommand({ text: 'list' });
    expect(JSON.parse(res.body)).toEqual({ response_type: 'ephemeral', text: 'Working…' });
    expect(runtime.events[0]).toMatchObject({ kind: 'command', text: 'list' });
  });

  it('exposes one POST route', () => {
    expect(h.adapter.httpRoutes?.().map((r) => `${r.method} ${r.path}`)).toEqual(['POST /slack/events']);
  });
});

describe('Slack HTTP mode: recorded payloads replayed against the real Bolt app', () => {
  let h: SlackHttpHarness;
  const runtime = new ScriptedRuntime(async (_e, reply) => reply.write({ type: 'message', markdown: 'ok' }));
  beforeAll(async () => {
    // The recorded app_mention addresses W111, so the fake workspace's bot is W111.
    const fake = new FakeSlack('xoxb-test-token', { user_id: 'W111', bot_id: 'B111', team_id: 'T111' });
    h = await SlackHttpHarness.create({ commandName: '/hello-world' }, fake);
    await h.adapter.start(runtime);
  });
  afterAll(async () => {
    await h.adapter.stop();
    await h.close();
  });
  afterEach(() => {
    runtime.events.length = 0;
    runtime.attachments.length = 0;
  });

  withFixtures('url_verification.json', async () => {
    const res = await h.post(fixtureText('url_verification.json'));
    expect(JSON.parse(res.body)).toEqual({ challenge: fixtureJson('url_verification.json').challenge });
  });

  withFixtures('app_mention.json reaches the runtime and is answered in its thread', async () => {
    expect((await h.post(fixtureText('app_mention.json'))).status).toBe(200);
    await until(() => runtime.events.length > 0 && h.fake.callsOf('chat.postMessage').length > 0);
    expect(runtime.events[0]).toMatchObject({ kind: 'message', text: 'Hi there!', eventId: 'Ev111' });
    expect(h.fake.callsOf('chat.postMessage').at(-1)?.args).toMatchObject({ channel: 'C111', thread_ts: '1595926230.009600' });
  });

  withFixtures(
    'message_file_share_im_snippet.json: the file is downloaded with the bot token through SLACK_API_URL',
    async () => {
      const payload = fixtureJson<{ event: { files: Array<{ url_private_download: string }> } }>(
        'message_file_share_im_snippet.json',
      );
      const path = new URL(payload.event.files[0]?.url_private_download ?? '').pathname;
      h.fake.hostFile(path, Buffer.from('hug a kitten'), 'text/plain');
      await h.post(fixtureText('message_file_share_im_snippet.json'));
      await until(() => runtime.attachments.length > 0);
      expect(runtime.attachments[0]?.bytes?.toString()).toBe('hug a kitten');
      expect(h.fake.downloads.at(-1)).toEqual({ path, authorization: 'Bearer xoxb-test-token' });
    },
  );

  withFixtures('slash_command.txt (form body) is acked and routed', async () => {
    const res = await h.post(fixtureText('slash_command.txt'), { contentType: 'application/x-www-form-urlencoded' });
    expect(JSON.parse(res.body)).toMatchObject({ text: 'Working…' });
    await until(() => runtime.events.length > 0);
    expect(runtime.events[0]).toMatchObject({ kind: 'command', text: 'Hi', user: 'W111' });
  });

  withFixtures('block_actions_button.form.txt: someone else’s button is acked and ignored', async () => {
    const res = await h.post(fixtureText('block_actions_button.form.txt'), { contentType: 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(200);
    await new Promise((r) => setTimeout(r, 50));
    expect(runtime.events).toHaveLength(0);
  });

  withFixtures('message_channel.json (chatter) is acked and ignored', async () => {
    expect((await h.post(fixtureText('message_channel.json'))).status).toBe(200);
    await new Promise((r) => setTimeout(r, 50));
    expect(runtime.events).toHaveLength(0);
  });
});

describe("Slack HTTP mode: Slack's documented signing vector through the receiver", () => {
  interface Vector {
    signing_secret: string;
    timestamp: string;
    raw_body: string;
    expected_signature: string;
  }
  withFixtures('is accepted with the clock at its timestamp, rejected as stale today', async () => {
    const v = fixtureJson<Vector>('signature_vector_docs_slash_command.json');
    for (const [now, status] of [
      [Number(v.timestamp) * 1000, 200],
      [Date.now(), 401],
    ] as const) {
      const h = await SlackHttpHarness.create({ signingSecret: v.signing_secret, now: () => now });
      const runtime = new ScriptedRuntime();
      await h.adapter.start(runtime);
      const headers = { 'x-slack-signature': v.expected_signature };
      const res = await h.post(v.raw_body, {
        contentType: 'application/x-www-form-urlencoded',
        timestamp: Number(v.timestamp),
        headers,
      });
      expect(res.status).toBe(status);
      expect(runtime.events).toHaveLength(0); // `/webhook-collect` is not our command
      await h.adapter.stop();
      await h.close();
    }
    expect(SIGNING_SECRET).not.toBe(v.signing_secret);
  });
});

async function until(fn: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}
