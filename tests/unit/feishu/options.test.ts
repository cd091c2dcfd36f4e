import { describe, expect, it } from 'vitest';
import { FeishuApiError } from '../../../adapters/feishu/api-error.js';
import { RecentKeys } from '../../../adapters/feishu/dedupe.js';
import { resolveDomain } from '../../../adapters/feishu/options.js';
import { withRetry } from '../../../adapters/feishu/retry.js';
import { feishuOptionsFrom } from '../../../bots/wiring/platform-options.js';
import { loadConfig } from '../../../core/config/load.js';
import { isTeamKbError } from '../../../core/errors.js';

const feishuOptionsFromEnv = (env: Record<string, string>) =>
  feishuOptionsFrom(loadConfig({ configDir: 'configs', env }).platforms);

describe('Feishu options', () => {
  it('reads FEISHU_* variables through the configuration, with defaults', () => {
    const o = feishuOptionsFromEnv({ FEISHU_APP_ID: 'cli_x', FEISHU_APP_SECRET: 's' });
    expect(o).toMatchObject({
      mode: 'ws',
      domain: 'feishu',
      eventsPath: '/feishu/events',
      streaming: 'cardkit',
      updateIntervalMs: 500,
    });
    expect(o.maxFileBytes).toBe(100 * 1024 * 1024);
    const http = feishuOptionsFromEnv({
      FEISHU_APP_ID: 'cli_x',
      FEISHU_APP_SECRET: 's',
      FEISHU_MODE: 'http',
      FEISHU_DOMAIN: 'lark',
      FEISHU_ENCRYPT_KEY: 'k',
      FEISHU_MAX_FILE_MB: '5',
      FEISHU_STREAMING: 'patch',
      FEISHU_UPLOAD_WINDOW_MIN: '3',
    });
    expect(http).toMatchObject({
      mode: 'http',
      domain: 'lark',
      encryptKey: 'k',
      maxFileBytes: 5 * 1024 * 1024,
      streaming: 'patch',
      uploadWindowMs: 180_000,
    });
  });

  it('names the variable that is wrong', () => {
    expect(() => feishuOptionsFromEnv({})).toThrow(/FEISHU_APP_ID/);
    expect(() => feishuOptionsFromEnv({ FEISHU_APP_ID: 'a', FEISHU_APP_SECRET: 's', FEISHU_MODE: 'socket' })).toThrow(
      /platforms\.feishu\.mode \(from environment variable FEISHU_MODE\)/,
    );
    expect(() => feishuOptionsFromEnv({ FEISHU_APP_ID: 'a', FEISHU_APP_SECRET: 's', FEISHU_MAX_FILE_MB: '-1' })).toThrow(
      /platforms\.feishu\.maxFileBytes \(from environment variable FEISHU_MAX_FILE_MB\)/,
    );
    try {
      resolveDomain('open.feishu.cn');
    } catch (err) {
      expect(isTeamKbError(err, 'CONFIG_INVALID')).toBe(true);
    }
  });

  it('resolves feishu, lark and custom base URLs', () => {
    expect(resolveDomain('feishu')).toBe('https://open.feishu.cn');
    expect(resolveDomain('Lark')).toBe('https://open.larksuite.com');
    expect(resolveDomain('http://127.0.0.1:8080/')).toBe('http://127.0.0.1:8080');
  });
});

describe('rate-limit retry', () => {
  const limited = (retryAfterMs?: number) => new FeishuApiError('limited', { status: 429, code: 99991400, retryAfterMs });

  it('retries rate limits until the call goes through', async () => {
    let calls = 0;
    const result = await withRetry(
      'x',
      async () => {
        if (++calls < 4) throw calls === 2 ? new FeishuApiError('code', { status: 400, code: 99991400 }) : limited(1);
        return 'ok';
      },
      { budgetMs: 5_000, baseMs: 1 },
    );
    expect({ result, calls }).toEqual({ result: 'ok', calls: 4 });
  });

  it('gives up when the wait would exceed the budget, and never retries plain refusals', async () => {
    await expect(withRetry('x', async () => Promise.reject(limited(1_000)), { budgetMs: 500 })).rejects.toThrow('limited');
    let calls = 0;
    const refusal = new FeishuApiError('no permission', { status: 400, code: 99991672 });
    await expect(
      withRetry(
        'x',
        async () => {
          calls++;
          throw refusal;
        },
        { budgetMs: 5_000 },
      ),
    ).rejects.toBe(refusal);
    expect(calls).toBe(1);
  });
});

describe('event id dedupe', () => {
  it('drops repeats and forgets the oldest past capacity', () => {
    const keys = new RecentKeys(2);
    expect([
      keys.firstSight('a'),
      keys.firstSight('a'),
      keys.firstSight('b'),
      keys.firstSight('c'),
      keys.firstSight('a'),
    ]).toEqual([true, false, true, true, true]);
  });
});
