import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { sharedFixture } from '../../helpers/shared.js';
import { encrypt, mentionEvent, sign, signedRequest } from './fake/events.js';
import { ENCRYPT_KEY, type FeishuHarness, makeFeishuHarness, VERIFICATION_TOKEN } from './fake/harness.js';
import { post } from './fake/mount.js';
import { ScriptedRuntime } from './fake/scripted-runtime.js';

let h: FeishuHarness | undefined;
afterEach(async () => {
  await h?.adapter.stop();
  await h?.close();
  h = undefined;
});

async function started(overrides = {}, runtime = new ScriptedRuntime()) {
  h = await makeFeishuHarness('http', overrides);
  await h.adapter.start(runtime);
  return { h, runtime, url: h.webhookUrl as string };
}

function fixture<T>(name: string): T | undefined {
  const path = sharedFixture(`platforms/feishu/${name}`, `Feishu payload ${name}`);
  return path ? (JSON.parse(readFileSync(path, 'utf8')) as T) : undefined;
}

const apiCallsAfterStart = (harness: FeishuHarness) => harness.fake.callsTo(/\/im\/|\/cardkit\//).length;

describe('Feishu HTTP callbacks', () => {
  it('answers the url_verification challenge, plain and encrypted', async () => {
    const { url } = await started();
    const plain = JSON.stringify({ challenge: 'plain-challenge', token: VERIFICATION_TOKEN, type: 'url_verification' });
    expect(await post(url, plain, { 'content-type': 'application/json' })).toEqual({
      status: 200,
      body: '{"challenge":"plain-challenge"}',
    });
    const hidden = JSON.stringify({
      encrypt: encrypt(
        JSON.stringify({ challenge: 'secret-challenge', token: VERIFICATION_TOKEN, type: 'url_verification' }),
        ENCRYPT_KEY,
      ),
    });
    expect((await post(url, hidden, {})).body).toBe('{"challenge":"secret-challenge"}');
    const wrongToken = JSON.stringify({ challenge: 'x', token: 'not-ours', type: 'url_verification' });
    expect((await post(url, wrongToken, {})).status).toBe(401);
  });

  it('answers the recorded challenges (shared fixtures)', async (ctx) => {
    const plainFixture = fixture<{ challenge: string; token: string }>('url_verification_plain.json');
    const encrypted = fixture<{ encrypt_key: string; request_body: unknown; expected_response_body: unknown }>(
      'url_verification_encrypted.json',
    );
    if (!plainFixture || !encrypted) return ctx.skip();
    const { url } = await started({ encryptKey: encrypted.encrypt_key, verificationToken: undefined });
    const res = await post(url, JSON.stringify(encrypted.request_body), { 'content-type': 'application/json' });
    expect(JSON.parse(res.body)).toEqual(encrypted.expected_response_body);
    await h?.adapter.stop();
    await h?.close();
    const second = await started({ encryptKey: undefined, verificationToken: plainFixture.token });
    expect(JSON.parse((await post(second.url, JSON.stringify(plainFixture), {})).body)).toEqual({
      challenge: plainFixture.challenge,
    });
  });

  it('accepts the recorded signed event and refuses it with a forged signature (shared fixture)', async (ctx) => {
    const v = fixture<{ encrypt_key: string; headers: Record<string, string>; raw_body: string }>(
      'event_encrypted_with_signature.json',
    );
    if (!v) return ctx.skip();
    const { url, runtime } = await started({ encryptKey: v.encrypt_key, verificationToken: undefined });
    const headers = Object.fromEntries(Object.entries(v.headers).map(([k, val]) => [k.toLowerCase(), val]));
    expect((await post(url, v.raw_body, headers)).status).toBe(200);
    const forged = { ...headers, 'x-lark-signature': '0'.repeat(64) };
    expect((await post(url, v.raw_body, forged)).status).toBe(401);
    expect(runtime.events).toHaveLength(0); // contact.user.created_v3 is not ours to handle
  });

  it('refuses forged requests with 401 before anything reaches the runtime', async () => {
    const { url, runtime, h: harness } = await started();
    const before = apiCallsAfterStart(harness);
    const event = mentionEvent('hello', 'oc_1');
    const good = signedRequest(event, ENCRYPT_KEY);
    const cases = [
      {
        name: 'bad signature',
        body: good.body,
        headers: { ...good.headers, 'x-lark-signature': sign('1', '2', 'guess', good.body) },
      },
      { name: 'body changed after signing', body: good.body.replace('"}', ' "}'), headers: good.headers },
      { name: 'unsigned', body: good.body, headers: { 'content-type': 'application/json' } },
      { name: 'wrong encrypt key', ...signedRequest(event, 'someone-else') },
      { name: 'plain body, unsigned', body: JSON.stringify(event), headers: {} },
    ];
    for (const c of cases)
      expect({ case: c.name, status: (await post(url, c.body, c.headers)).status }).toEqual({ case: c.name, status: 401 });
    const wrongToken = { ...event, header: { ...(event.header as object), token: 'not-the-token' } };
    const signedWrongToken = signedRequest(wrongToken, ENCRYPT_KEY);
    expect((await post(url, signedWrongToken.body, signedWrongToken.headers)).status).toBe(401);
    await harness.adapter.idle();
    expect(runtime.events).toHaveLength(0);
    expect(apiCallsAfterStart(harness)).toBe(before);
  });

  it('acknowledges before the runtime has finished (work continues after the 200)', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const runtime = new ScriptedRuntime(async (_event, reply) => {
      await gate;
      await reply.write({ type: 'message', markdown: 'late answer' });
    });
    const { h: harness } = await started({}, runtime);
    const signed = signedRequest(mentionEvent('slow question', 'oc_slow'), ENCRYPT_KEY);
    try {
      const res = await post(harness.webhookUrl as string, signed.body, signed.headers);
      expect(res.status).toBe(200);
      while (runtime.events.length === 0) await new Promise((r) => setTimeout(r, 5));
      expect(harness.visible().some((m) => m.text.includes('late answer'))).toBe(false);
    } finally {
      release();
    }
    await harness.adapter.idle();
    expect(harness.visible().map((m) => m.text)).toContain('late answer');
  });

  it('ignores malformed payloads without crashing', async () => {
    const { url, runtime, h: harness } = await started();
    expect((await post(url, 'not json', {})).status).toBe(400);
    const broken = signedRequest(
      {
        schema: '2.0',
        header: { event_id: 'e-broken', event_type: 'im.message.receive_v1', token: VERIFICATION_TOKEN },
        event: { message: 42 },
      },
      ENCRYPT_KEY,
    );
    expect((await post(url, broken.body, broken.headers)).status).toBe(200);
    const badContent = mentionEvent('x', 'oc_1');
    ((badContent.event as { message: { content: string } }).message as { content: string }).content = '{not json';
    const signed = signedRequest(badContent, ENCRYPT_KEY);
    expect((await post(url, signed.body, signed.headers)).status).toBe(200);
    await harness.adapter.idle();
    expect(runtime.events).toHaveLength(0);
    const ok = signedRequest(mentionEvent('still alive?', 'oc_1'), ENCRYPT_KEY);
    expect((await post(url, ok.body, ok.headers)).status).toBe(200);
    await harness.adapter.idle();
    expect(runtime.events.some((e) => e.kind === 'message' && e.text === 'still alive?')).toBe(true);
  });

  it('asks the platform to retry (503) while the adapter is not started', async () => {
    h = await makeFeishuHarness('http');
    const signed = signedRequest(mentionEvent('early', 'oc_1'), ENCRYPT_KEY);
    expect((await post(h.webhookUrl as string, signed.body, signed.headers)).status).toBe(503);
  });
});
