import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startApp } from '../../bots/start.js';
import { testConfig } from './helpers/app.js';
import { VPN_GUIDE } from './helpers/corpus.js';
import { call, createKbWithFiles } from './helpers/http.js';

describe('startApp with a configured LLM file that does not exist', () => {
  let app: { stop: () => Promise<void>; url: string };
  let cleanup: () => void;
  const banner: string[] = [];
  beforeAll(async () => {
    for (const name of ['SLACK_BOT_TOKEN', 'DISCORD_TOKEN', 'FEISHU_APP_ID']) vi.stubEnv(name, '');
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void banner.push(args.join(' ')));
    const setup = testConfig({ TEAMKB_PORT: '0', TEAMKB_HOST: '127.0.0.1', TEAMKB_LLM: 'llama:/nonexistent/no-such-model.gguf' });
    cleanup = setup.cleanup;
    app = await startApp(setup.config);
  });
  afterAll(async () => {
    await app?.stop();
    cleanup?.();
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });

  it('still starts, reports degraded with the reason, and answers extractively', async () => {
    expect(app.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(banner.join('\n')).toContain(app.url);
    expect(banner.join('\n')).toMatch(/! LLM .*no-such-model\.gguf/);

    const health = await call(app.url, 'GET', '/healthz');
    expect(health.status).toBe(200);
    expect(health.body.status).toBe('degraded');
    expect(health.body.reasons).toEqual([expect.stringContaining('no-such-model.gguf')]);

    await createKbWithFiles(app.url, 'handbook', [{ name: 'vpn.md', bytes: VPN_GUIDE }]);
    const openai = new OpenAI({ baseURL: `${app.url}/v1`, apiKey: 'unused', maxRetries: 0 });
    const ids = (await openai.models.list()).data.map((m) => m.id);
    expect(ids.filter((id) => id.startsWith('llm:'))).toEqual([]);
    const completion = await openai.chat.completions.create({
      model: 'kb:handbook',
      messages: [{ role: 'user', content: 'How often do I rotate the VPN key?' }],
    });
    expect(completion.choices[0]?.message.content).toMatch(/^No language model is loaded/);
  });

  it('adds the sample knowledge base on first start', async () => {
    // The first ingest also starts the parse workers, which takes seconds on a busy machine.
    await expect
      .poll(
        async () => {
          const files = await call(app.url, 'GET', '/api/kb/samples/files');
          return (
            files.status === 200 &&
            files.body.files.length > 0 &&
            files.body.files.every((f: { status: string }) => f.status === 'ready')
          );
        },
        { timeout: 30_000 },
      )
      .toBe(true);
    const hits = await call(app.url, 'POST', '/api/kb/samples/search', { query: 'TeamKB' });
    expect(hits.body.hits.length).toBeGreaterThan(0);
  });
});
