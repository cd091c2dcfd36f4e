import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpRoute, RawHttpRequest } from '../../core/chat.js';
import { startTestApp, type TestApp } from './helpers/app.js';

const KEY = 'e2e-secret-key';

/** A webhook that records what it was given and answers with a custom status, header and body. */
function recordingRoute(method: 'GET' | 'POST', path: string, seen: RawHttpRequest[]): HttpRoute {
  return {
    method,
    path,
    async handle(req) {
      seen.push(req);
      return { status: 202, headers: { 'x-platform': 'fake' }, body: `ok:${req.rawBody.length}` };
    },
  };
}

describe('API key and platform webhooks', () => {
  let app: TestApp;
  const seen: RawHttpRequest[] = [];
  beforeAll(async () => {
    app = await startTestApp({
      apiKey: KEY,
      adapterRoutes: [recordingRoute('POST', '/slack/events', seen), recordingRoute('GET', '/feishu/check', seen)],
    });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('leaves /healthz and the web page open and requires the key everywhere else', async () => {
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${app.url}/`)).status).toBe(200);
    expect((await fetch(`${app.url}/app.js`)).status).toBe(200);

    const guarded: Array<[string, string, unknown?]> = [
      ['GET', '/api/kb'],
      ['POST', '/api/kb', { name: 'x' }],
      ['GET', '/api/status'],
      ['GET', '/v1/models'],
      ['POST', '/v1/chat/completions', { model: 'llm', messages: [{ role: 'user', content: 'hi' }] }],
      ['POST', '/api/chat', { mode: 'llm', question: 'hi' }],
      ['GET', '/openapi.json'],
    ];
    for (const [method, path, body] of guarded) {
      const send = (authorization?: string) =>
        fetch(`${app.url}${path}`, {
          method,
          headers: {
            ...(body ? { 'content-type': 'application/json' } : {}),
            ...(authorization ? { authorization } : {}),
          },
          body: body ? JSON.stringify(body) : undefined,
        });
      for (const wrong of [undefined, 'Bearer nope', KEY, `Basic ${KEY}`, `Bearer ${KEY}x`]) {
        const res = await send(wrong);
        expect(res.status, `${method} ${path} with ${wrong}`).toBe(401);
        expect((await res.json()).error).toMatchObject({ code: expect.any(String), message: expect.stringContaining('API key') });
      }
      const ok = await send(`Bearer ${KEY}`);
      expect(ok.status, `${method} ${path} with the key`).toBeLessThan(300);
      await ok.arrayBuffer();
    }
  });

  it('works with the OpenAI client only when it sends the key', async () => {
    const ok = new OpenAI({ baseURL: `${app.url}/v1`, apiKey: KEY, maxRetries: 0 });
    expect((await ok.models.list()).data.map((m) => m.id)).toContain('llm');
    const wrong = new OpenAI({ baseURL: `${app.url}/v1`, apiKey: 'wrong', maxRetries: 0 });
    await expect(wrong.models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
  });

  it('passes webhook requests through byte for byte, without the API key (platforms sign their own)', async () => {
    const json = '{"type":"event_callback",  "text":"héllo"}\n';
    const post = await fetch(`${app.url}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-slack-signature': 'v0=abc' },
      body: json,
    });
    expect(post.status).toBe(202);
    expect(post.headers.get('x-platform')).toBe('fake');
    expect(await post.text()).toBe(`ok:${Buffer.byteLength(json)}`);
    expect(seen.at(-1)?.rawBody.toString('utf8')).toBe(json);
    expect(seen.at(-1)?.headers['x-slack-signature']).toBe('v0=abc');
    expect(seen.at(-1)?.path).toBe('/slack/events');

    const form = 'payload=%7B%22a%22%3A1%7D&token=t';
    const urlencoded = await fetch(`${app.url}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
    });
    expect(urlencoded.status).toBe(202);
    expect(seen.at(-1)?.rawBody.toString('utf8')).toBe(form);

    const get = await fetch(`${app.url}/feishu/check`);
    expect(get.status).toBe(202);
    expect(seen.at(-1)?.method).toBe('GET');
    expect(seen.at(-1)?.rawBody.length).toBe(0);
  });
});
