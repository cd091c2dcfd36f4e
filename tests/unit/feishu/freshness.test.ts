import { createHash, randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createFeishuAdapter, type FeishuAdapter } from '../../../adapters/feishu/index.js';
import { makeBot, type TestBot } from '../runtime/setup.js';
import { APP_ID, encrypt, messageEvent } from './fake/events.js';
import { ENCRYPT_KEY, VERIFICATION_TOKEN } from './fake/harness.js';
import { mountRoutes, post } from './fake/mount.js';
import { FakeOpenApi } from './fake/open-api.js';

/** A signed callback as Feishu posts it, at a chosen time (seconds). */
function signedAt(payload: unknown, seconds: number): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify({ encrypt: encrypt(JSON.stringify(payload), ENCRYPT_KEY) });
  const timestamp = String(seconds);
  const nonce = randomUUID();
  const signature = createHash('sha256')
    .update(timestamp + nonce + ENCRYPT_KEY + body)
    .digest('hex');
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'x-lark-request-timestamp': timestamp,
      'x-lark-request-nonce': nonce,
      'x-lark-signature': signature,
    },
  };
}

describe('Feishu events: five-minute freshness, and dedupe before the placeholder', () => {
  const open: Array<{ close: () => Promise<unknown> }> = [];
  afterEach(async () => {
    for (const o of open.splice(0).reverse()) await o.close();
  });

  async function setup(bot: TestBot, fake: FakeOpenApi): Promise<{ adapter: FeishuAdapter; url: string }> {
    const adapter = createFeishuAdapter(
      {
        mode: 'http',
        appId: APP_ID,
        appSecret: 'app-secret',
        domain: fake.url,
        encryptKey: ENCRYPT_KEY,
        verificationToken: VERIFICATION_TOKEN,
        updateIntervalMs: 40,
      },
      pino({ level: 'silent' }),
    );
    await adapter.start(bot.runtime);
    const mounted = await mountRoutes(adapter.httpRoutes());
    open.push({ close: () => adapter.stop() }, mounted);
    return { adapter, url: `${mounted.url}${adapter.options.eventsPath}` };
  }

  async function world() {
    const fake = new FakeOpenApi();
    await fake.start();
    const bot = await makeBot();
    open.push(fake, { close: () => bot.close() });
    return { fake, bot };
  }

  const dm = (eventId: string = randomUUID()) =>
    messageEvent({ chatId: 'oc_dm', chatType: 'p2p', user: 'ou_user_1', content: { text: '/kb help' }, eventId });

  it('refuses a validly signed request older than five minutes, and answers a fresh one', async () => {
    const { fake, bot } = await world();
    const { adapter, url } = await setup(bot, fake);
    const stale = signedAt(dm(), Math.floor(Date.now() / 1000) - 6 * 60);
    expect((await post(url, stale.body, stale.headers)).status).toBe(401);
    const fresh = signedAt(dm(), Math.floor(Date.now() / 1000));
    expect((await post(url, fresh.body, fresh.headers)).status).toBe(200);
    await adapter.idle();
    expect(fake.botMessages()).toHaveLength(1);
  });

  it('drops an event created long ago even when the request itself is fresh (a 2019 event)', async () => {
    const { fake, bot } = await world();
    const { adapter, url } = await setup(bot, fake);
    const old = dm();
    (old.header as Record<string, string>).create_time = String(Date.UTC(2019, 0, 1));
    const req = signedAt(old, Math.floor(Date.now() / 1000));
    expect((await post(url, req.body, req.headers)).status).toBe(200);
    await adapter.idle();
    expect(fake.botMessages()).toHaveLength(0);
  });

  it('posts no placeholder for an event replayed after a restart (the runtime remembers it)', async () => {
    const { fake, bot } = await world();
    const event = dm('ev-replayed');
    const first = await setup(bot, fake);
    const req = signedAt(event, Math.floor(Date.now() / 1000));
    await post(first.url, req.body, req.headers);
    await first.adapter.idle();
    const answered = fake.botMessages().length;
    expect(answered).toBeGreaterThan(0);
    // A new adapter process has an empty in-memory dedupe; the runtime's store is what stops it.
    const second = await setup(bot, fake);
    const again = signedAt(event, Math.floor(Date.now() / 1000));
    expect((await post(second.url, again.body, again.headers)).status).toBe(200);
    await second.adapter.idle();
    expect(fake.botMessages()).toHaveLength(answered);
  });
});
