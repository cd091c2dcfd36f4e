import { describe, expect, it } from 'vitest';
import { slackOptionsFrom } from '../../../bots/wiring/platform-options.js';
import { loadConfig } from '../../../core/config/load.js';

const fromEnv = (env: Record<string, string>) => slackOptionsFrom(loadConfig({ configDir: 'configs', env }).platforms);

describe('Slack options from the configuration', () => {
  it('defaults to Socket Mode with the documented limits', () => {
    expect(fromEnv({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' })).toMatchObject({
      mode: 'socket',
      apiUrl: 'https://slack.com/api/',
      eventsPath: '/slack/events',
      commandName: '/kb',
      streaming: 'auto',
      updateIntervalMs: 1000,
      maxMessageChars: 3500,
      maxFileBytes: 100 * 1024 * 1024,
    });
  });

  it('reads HTTP mode and overrides', () => {
    const o = fromEnv({
      SLACK_MODE: 'http',
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_SIGNING_SECRET: 's',
      SLACK_API_URL: 'http://127.0.0.1:1234/api',
      SLACK_COMMAND: 'teamkb',
      SLACK_UPDATE_INTERVAL_MS: '250',
      SLACK_STREAMING: 'update',
      SLACK_MAX_FILE_BYTES: '1000',
      SLACK_APP_TOKEN: '',
    });
    expect(o).toMatchObject({
      mode: 'http',
      apiUrl: 'http://127.0.0.1:1234/api/',
      commandName: '/teamkb',
      updateIntervalMs: 250,
      streaming: 'update',
      maxFileBytes: 1000,
    });
  });

  it.each([
    [{}, 'SLACK_BOT_TOKEN is required'],
    [{ SLACK_BOT_TOKEN: 'x' }, 'SLACK_APP_TOKEN is required when SLACK_MODE=socket'],
    [{ SLACK_BOT_TOKEN: 'x', SLACK_MODE: 'http' }, 'SLACK_SIGNING_SECRET is required when SLACK_MODE=http'],
    [{ SLACK_BOT_TOKEN: 'x', SLACK_MODE: 'webhook' }, 'platforms.slack.mode (from environment variable SLACK_MODE)'],
    [
      { SLACK_BOT_TOKEN: 'x', SLACK_APP_TOKEN: 'y', SLACK_STREAMING: 'fast' },
      'platforms.slack.streaming (from environment variable SLACK_STREAMING)',
    ],
    [
      { SLACK_BOT_TOKEN: 'x', SLACK_APP_TOKEN: 'y', SLACK_MAX_FILE_BYTES: '-5' },
      'platforms.slack.maxFileBytes (from environment variable SLACK_MAX_FILE_BYTES)',
    ],
  ])('explains a bad setup: %j', (env, message) => {
    expect(() => fromEnv(env)).toThrow(message);
  });
});
