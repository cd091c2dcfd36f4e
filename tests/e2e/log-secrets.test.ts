import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFeishuAdapter, type FeishuAdapter } from '../../adapters/feishu/index.js';
import { secretValuesOf } from '../../core/log-redaction.js';
import { addLogSecrets, createLogger } from '../../core/logger.js';
import { APP_ID, messageEvent, signedRequest } from '../unit/feishu/fake/events.js';
import { VERIFICATION_TOKEN } from '../unit/feishu/fake/harness.js';
import { FakeOpenApi } from '../unit/feishu/fake/open-api.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { readSse } from './helpers/http.js';

/** Configured secrets: the server's API key, a store password, Feishu's app secret, encrypt key and token. */
const API_KEY = 'teamkb-api-key-7f3a9c2e51';
const MILVUS_PASSWORD = 'milvus-pass-c0ffee42';
const APP_SECRET = 'feishu-app-secret-9d8e7f';
const ENCRYPT_KEY = 'feishu-encrypt-key-a1b2c3';

/**
 * Runs the server at trace level through an authenticated upload (multipart logs its busboy
 * options, headers included), a named API key, a web session, a signed Feishu webhook answered by
 * the real SDK against a loopback Open API, and chat — then greps every line written, ours and the
 * libraries', for each secret.
 */
describe('secrets never reach the output, at trace level', () => {
  let app: TestApp;
  let feishu: FeishuAdapter;
  let fake: FakeOpenApi;
  const lines: string[] = [];
  const written: string[] = [];
  const restore: Array<() => void> = [];
  const presented: string[] = [];

  beforeAll(async () => {
    for (const stream of [process.stdout, process.stderr]) {
      const original = stream.write.bind(stream);
      stream.write = ((chunk: unknown, ...rest: unknown[]) => {
        written.push(String(chunk));
        return (original as (...a: unknown[]) => boolean)(chunk, ...rest);
      }) as typeof stream.write;
      restore.push(() => {
        stream.write = original;
      });
    }
    const logger = createLogger('trace', 'teamkb', { destination: { write: (line: string) => lines.push(line) } });
    fake = new FakeOpenApi();
    await fake.start();
    feishu = createFeishuAdapter(
      {
        mode: 'http',
        appId: APP_ID,
        appSecret: APP_SECRET,
        domain: fake.url,
        encryptKey: ENCRYPT_KEY,
        verificationToken: VERIFICATION_TOKEN,
        updateIntervalMs: 40,
      },
      logger,
    );
    app = await startTestApp({
      logger,
      apiKey: API_KEY,
      env: {
        TEAMKB_API_KEY: API_KEY,
        MILVUS_PASSWORD,
        FEISHU_APP_SECRET: APP_SECRET,
        FEISHU_ENCRYPT_KEY: ENCRYPT_KEY,
        FEISHU_VERIFICATION_TOKEN: VERIFICATION_TOKEN,
      },
      runtime: true,
      adapterRoutes: feishu.httpRoutes(),
    });
    if (app.runtime) await feishu.start(app.runtime);
    // As start-up does for the environment the platforms read their credentials from.
    addLogSecrets(
      secretValuesOf({
        FEISHU_APP_SECRET: APP_SECRET,
        FEISHU_ENCRYPT_KEY: ENCRYPT_KEY,
        FEISHU_VERIFICATION_TOKEN: VERIFICATION_TOKEN,
      }),
    );
  });
  afterAll(async () => {
    for (const undo of restore) undo();
    await feishu?.stop();
    await app?.close();
    await fake?.close();
  });

  it('redacts keys, cookies, tokens and signing secrets from every line', async () => {
    const auth = { authorization: `Bearer ${API_KEY}` };
    const created = await fetch(`${app.url}/api/kb`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'handbook' }),
    });
    expect(created.status).toBe(201);
    const form = new FormData();
    form.append('files', new Blob(['# VPN\n\nRotate the key every 90 days.']), 'vpn.md');
    const uploaded = await fetch(`${app.url}/api/kb/handbook/files`, { method: 'POST', headers: auth, body: form });
    expect(uploaded.status).toBe(202);
    await (await fetch(`${app.url}${(await uploaded.json()).events}`, { headers: auth })).text();

    const named = app.access.keys.create('ci', ['read']).key;
    presented.push(named);
    expect((await fetch(`${app.url}/api/kb`, { headers: { authorization: `Bearer ${named}` } })).status).toBe(200);

    const session = app.access.sessions.open({ platform: 'feishu', workspace: 'T', user: 'ou_1', roles: [] });
    presented.push(session);
    const chat = await fetch(`${app.url}/api/conversations/s1/messages`, {
      method: 'POST',
      headers: { cookie: `teamkb_session=${session}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'how often do I rotate the VPN key?' }),
    });
    for await (const _ of readSse(chat));

    const event = messageEvent({ chatId: 'oc_dm', chatType: 'p2p', user: 'ou_user_1', content: { text: '/kb list' } });
    const { body, headers } = signedRequest(event, ENCRYPT_KEY);
    const hook = await fetch(`${app.url}${feishu.options.eventsPath}`, { method: 'POST', body, headers });
    expect(hook.status, await hook.clone().text()).toBe(200);
    await feishu.idle();
    expect(fake.botMessages().length).toBeGreaterThan(0);

    // A library logging whole request options, and an error whose text carries a key.
    app.core.logger.trace({ request: { options: { headers: { Authorization: `Bearer ${API_KEY}`, Cookie: session } } } }, 'sdk');
    app.core.logger.error({ err: new Error(`upstream refused key ${API_KEY}`) }, 'failed');

    const output = [...lines, ...written].join('');
    expect(lines.length, output).toBeGreaterThan(5);
    expect(output).toContain('Providing options to busboy');
    expect(output).toContain('[redacted]');
    for (const secret of [API_KEY, MILVUS_PASSWORD, APP_SECRET, ENCRYPT_KEY, VERIFICATION_TOKEN, ...presented]) {
      expect(output.includes(secret), `output contains ${secret.slice(0, 12)}…`).toBe(false);
    }
  });
});
