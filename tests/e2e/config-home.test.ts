import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type RunningApp, startApp } from '../../bots/start.js';
import { loadConfig } from '../../core/config/load.js';
import { configSchema } from '../../core/config/schema.js';
import { recordReads, schemaKeys, unreadKeys } from '../helpers/config-reads.js';
import { testEnv } from '../helpers/core.js';
import { ROOT } from '../helpers/shared.js';
import { FakeDiscord } from '../unit/discord/fake/fake-discord.js';
import { FakeOpenApi } from '../unit/feishu/fake/open-api.js';
import { FakeSlack } from '../unit/slack/fake-slack.js';
import { sendMessage } from './helpers/conversation.js';

/**
 * Keys nothing reads yet, each with the reason. Keep this list short: a key here is a setting
 * users can write that changes nothing.
 */
const REPORT =
  '# Quarterly report\n\nThe Lighthouse project shipped the harbour sensor network in March. Sensor uptime reached 99.2 percent.\n';

const NOT_READ_YET: Record<string, string> = {
  // Read only when kb.store is milvus (this app runs the embedded store); tests/unit/stores cover it.
  'kb.milvus.address': 'milvus store only',
  'kb.milvus.token': 'milvus store only',
  'kb.milvus.username': 'milvus store only',
  'kb.milvus.password': 'milvus store only',
  'kb.milvus.database': 'milvus store only',
  'kb.milvus.ssl': 'milvus store only',
  // Read for users who are not admins by id; every web user is one here (tests/unit/runtime/permissions.test.ts).
};

/**
 * Everything a user writes into .env reaches the app the same way as TEAMKB_LOG_LEVEL does:
 * platform tokens and modes start their adapters (against loopback fakes here) and search keys
 * pick the web search engines.
 */
describe('one configuration home', () => {
  const slack = new FakeSlack('xoxb-from-dotenv');
  const discord = new FakeDiscord({ token: 'discord-from-dotenv' });
  const feishu = new FakeOpenApi();
  const dir = mkdtempSync(join(tmpdir(), 'teamkb-dotenv-'));
  const banner: string[] = [];
  let app: RunningApp;
  let read: Set<string>;

  beforeAll(async () => {
    await Promise.all([slack.listen(), discord.start(), feishu.start()]);
    const dotenv = [
      `SLACK_BOT_TOKEN=${slack.botToken}`,
      'SLACK_MODE=http',
      'SLACK_SIGNING_SECRET=slack-secret',
      `SLACK_API_URL=${slack.apiUrl}`,
      'SLACK_EVENTS_PATH=/hooks/slack',
      `DISCORD_TOKEN=${discord.token}`,
      `DISCORD_APPLICATION_ID=${discord.applicationId}`,
      `DISCORD_API_URL=${discord.apiUrl}`,
      'FEISHU_APP_ID=cli_from_dotenv',
      'FEISHU_APP_SECRET=feishu-secret',
      'FEISHU_MODE=http',
      `FEISHU_DOMAIN=${feishu.url}`,
      'FEISHU_EVENTS_PATH=/hooks/feishu',
      'FEISHU_ENCRYPT_KEY=feishu-encrypt-key',
      'SEARXNG_URL=http://127.0.0.1:9/searx',
      'BRAVE_API_KEY=brave-key',
      'BING_API_KEY=bing-key',
      'TAVILY_API_KEY=tavily-key',
      'TEAMKB_SEARCH_ENGINE=brave,searxng,bing,tavily,duckduckgo',
      `TEAMKB_FILES_DIR=${join(dir, 'sources')}`,
    ];
    writeFileSync(join(dir, '.env'), `${dotenv.join('\n')}\n`);
    // The environment wins over .env, but sets none of these: they can only come from the file.
    const env = testEnv(join(dir, 'data'), { TEAMKB_PORT: '0', TEAMKB_MODELS_DIR: join(dir, 'models') });
    const recorded = recordReads(loadConfig({ configDir: join(ROOT, 'configs'), env, dotenvPath: join(dir, '.env') }));
    read = recorded.read;
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void banner.push(args.join(' ')));
    app = await startApp(recorded.config);
  });

  afterAll(async () => {
    await app?.stop();
    vi.restoreAllMocks();
    await Promise.all([slack.close(), discord.stop(), feishu.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts Slack, Discord and Feishu with the tokens and modes from .env', async () => {
    expect(app.problems).toEqual([]);
    expect(app.platforms.sort()).toEqual(['discord', 'feishu', 'slack']);
    expect(banner.join('\n')).toMatch(/Platforms +slack, discord, feishu/);
    // Each fake saw the bot authenticate with the token written in .env.
    expect(slack.calls.map((c) => c.method)).toContain('auth.test');
    expect(discord.gateway.identifies.map((i) => i.token)).toEqual([discord.token]);
    expect(feishu.calls.some((c) => JSON.stringify(c.body).includes('cli_from_dotenv'))).toBe(true);
    // HTTP modes mount their webhooks at the paths from .env: unsigned requests are refused, not 404.
    for (const path of ['/hooks/slack', '/hooks/feishu']) {
      const res = await fetch(`${app.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(res.status, path).not.toBe(404);
    }
  });

  it('uses the web search engines from .env, in the order given', () => {
    expect(app.searchEngines).toEqual(['brave', 'searxng', 'bing', 'tavily', 'duckduckgo']);
    expect(banner.join('\n')).toMatch(/Web search +brave → searxng → bing → tavily → duckduckgo/);
  });

  it('reads every key of the configuration schema somewhere (no setting that changes nothing)', async () => {
    // Settings read on demand: a shared file with a question, a plain question, and an admin command.
    const fileChat = await sendMessage(app.url, 'config-keys', 'What was the sensor uptime?', [
      { name: 'report.md', bytes: REPORT },
    ]);
    expect(fileChat.status).toBe(200);
    // The sample KB's files and the shared file are kept in the files folder from .env, not under
    // the data folder.
    const kbs = readdirSync(join(dir, 'sources'));
    expect(kbs).toContain('samples');
    const tempKb = kbs.find((kb) => kb !== 'samples');
    expect(readdirSync(join(dir, 'sources', tempKb ?? '', 'content'))).toEqual(['report.md']);
    expect(existsSync(join(dir, 'data', 'kbs'))).toBe(false);
    await sendMessage(app.url, 'config-keys', 'And when did it ship?');
    await sendMessage(app.url, 'config-keys-plain', 'How do I add TeamKB to Slack?');
    const asked = await sendMessage(app.url, 'config-keys', '/kb delete samples');
    expect(asked.parts.find((p) => p.event === 'buttons')?.data.markdown).toContain('Delete knowledge base **samples**');

    const keys = schemaKeys(configSchema);
    expect(keys.length).toBeGreaterThan(80);
    const unread = unreadKeys(keys, read);
    expect(unread.filter((key) => !(key in NOT_READ_YET))).toEqual([]);
    // A key that is read now must leave the list of exceptions.
    expect(Object.keys(NOT_READ_YET).filter((key) => !unread.includes(key))).toEqual([]);
  });
});
