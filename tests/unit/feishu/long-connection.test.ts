import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createFeishuAdapter } from '../../../adapters/feishu/index.js';
import { isTeamKbError } from '../../../core/errors.js';
import { cardActionEvent, mentionEvent } from './fake/events.js';
import { type FeishuHarness, makeFeishuHarness } from './fake/harness.js';
import { ScriptedRuntime } from './fake/scripted-runtime.js';

let h: FeishuHarness | undefined;
afterEach(async () => {
  await h?.adapter.stop();
  await h?.close();
  h = undefined;
});

async function connected(runtime = new ScriptedRuntime()) {
  h = await makeFeishuHarness('ws');
  await h.adapter.start(runtime);
  while (!h.fake.ws.connected) await new Promise((r) => setTimeout(r, 10));
  return { h, runtime };
}

describe('Feishu long connection (SDK WSClient against a fake endpoint)', () => {
  it('asks the endpoint with the app credentials and connects over ws://', async () => {
    const { h } = await connected();
    const endpoint = h.fake.callsTo(/^POST \/callback\/ws\/endpoint$/);
    expect(endpoint[0]?.body).toMatchObject({ AppID: 'cli_0123456789abcdef', AppSecret: 'app-secret' });
    expect(h.fake.ws.connections).toBe(1);
  });

  it('reassembles an event split over several frames', async () => {
    const { h, runtime } = await connected();
    const ack = await h.fake.ws.push(mentionEvent('a question sent in three frames', 'oc_ws'), 3);
    expect(ack.code).toBe(200);
    await h.adapter.idle();
    expect(runtime.events.map((e) => e.kind === 'message' && e.text)).toEqual(['a question sent in three frames']);
  });

  it('acknowledges each frame before the runtime has finished', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { h, runtime } = await connected(
      new ScriptedRuntime(async (_e, reply) => {
        await gate;
        await reply.write({ type: 'message', markdown: 'done' });
      }),
    );
    try {
      expect((await h.fake.ws.push(mentionEvent('slow', 'oc_ws'))).code).toBe(200);
      while (runtime.events.length === 0) await new Promise((r) => setTimeout(r, 5));
      expect(h.visible().some((m) => m.text === 'done')).toBe(false);
    } finally {
      release();
    }
    await h.adapter.idle();
    expect(h.visible().map((m) => m.text)).toEqual(['done']);
  });

  it('answers a button click with a toast in the ack and delivers the action', async () => {
    const { h, runtime } = await connected();
    const ack = await h.fake.ws.push(
      cardActionEvent({ value: { teamkb: 'tkb:feedback:ans-1:down' }, chatId: 'oc_ws', messageId: 'om_card' }),
    );
    const data = JSON.parse(Buffer.from(String(ack.data), 'base64').toString('utf8'));
    expect(data).toEqual({ toast: { type: 'info', content: 'Thanks for the feedback' } });
    await h.adapter.idle();
    expect(runtime.events[0]).toMatchObject({ kind: 'action', action: 'feedback', value: 'ans-1:down' });
  });

  it('survives frames it cannot decode', async () => {
    const { h, runtime } = await connected();
    h.fake.ws.pushGarbage();
    expect((await h.fake.ws.push(mentionEvent('after garbage', 'oc_ws'))).code).toBe(200);
    await h.adapter.idle();
    expect(runtime.events.some((e) => e.kind === 'message' && e.text === 'after garbage')).toBe(true);
  });

  it('refuses an app id the SDK would silently not start with', async () => {
    const make = () => createFeishuAdapter({ mode: 'ws', appId: 'not-an-app-id', appSecret: 's' }, pino({ level: 'silent' }));
    expect(make).toThrow(/FEISHU_APP_ID "not-an-app-id"/);
    try {
      make();
    } catch (err) {
      expect(isTeamKbError(err, 'CONFIG_INVALID')).toBe(true);
    }
  });
});
