import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../core/config/load.js';

const dir = () => mkdtempSync(join(tmpdir(), 'teamkb-config-'));

describe('config', () => {
  it('loads the shipped configs with defaults', () => {
    const cfg = loadConfig({ configDir: 'configs', env: {} });
    expect(cfg.kb.chunkSize).toBe(500);
    expect(cfg.kb.chunkOverlap).toBe(80);
    expect(cfg.server.port).toBe(7860);
    expect(cfg.basic.dataDir).toBe('./knowledge_base');
    expect(cfg.prompts.kb_answer).toContain('{context}');
  });

  it('applies documented environment overrides', () => {
    const cfg = loadConfig({
      configDir: 'configs',
      env: {
        TEAMKB_DATA_DIR: '/data',
        TEAMKB_EMBEDDER: 'fake:32',
        TEAMKB_LOG_LEVEL: 'warn',
        TEAMKB_PORT: '9000',
        TEAMKB_LLM: 'none, openai:gpt@http://x',
      },
    });
    expect(cfg.basic.dataDir).toBe('/data');
    expect(cfg.model.embedder).toBe('fake:32');
    expect(cfg.basic.logLevel).toBe('warn');
    expect(cfg.server.port).toBe(9000);
    expect(cfg.model.llms).toEqual(['none', 'openai:gpt@http://x']);
  });

  it('names the key and file of a bad value', () => {
    const d = dir();
    writeFileSync(join(d, 'kb.yaml'), 'chunkSize: "big"\n');
    expect(() => loadConfig({ configDir: d, env: {} })).toThrow(/kb\.chunkSize \(in .*kb\.yaml\)/);
  });

  it('names the environment variable of a bad value', () => {
    expect(() => loadConfig({ configDir: dir(), env: { TEAMKB_LOG_LEVEL: 'loud' } })).toThrow(
      /basic\.logLevel \(from environment variable TEAMKB_LOG_LEVEL\)/,
    );
  });

  it('rejects unknown keys and broken YAML', () => {
    const d = dir();
    writeFileSync(join(d, 'server.yaml'), 'prot: 80\n');
    expect(() => loadConfig({ configDir: d, env: {} })).toThrow(/server.*prot|Unrecognized/);
    writeFileSync(join(d, 'server.yaml'), 'port: [\n');
    expect(() => loadConfig({ configDir: d, env: {} })).toThrow(/server\.yaml: not valid YAML/);
  });
});

describe('config from .env', () => {
  it('reads platform, search and API settings from .env; the environment wins', () => {
    const d = dir();
    writeFileSync(
      join(d, '.env'),
      ['SLACK_BOT_TOKEN=xoxb-file', 'DISCORD_TOKEN=from-file', 'BRAVE_API_KEY=brave', 'TEAMKB_API_KEY=key-file'].join('\n'),
    );
    const cfg = loadConfig({ configDir: 'configs', env: { DISCORD_TOKEN: 'from-env' }, dotenvPath: join(d, '.env') });
    expect(cfg.platforms.slack.botToken).toBe('xoxb-file');
    expect(cfg.platforms.discord.token).toBe('from-env');
    expect(cfg.search.braveKey).toBe('brave');
    expect(cfg.server.apiKey).toBe('key-file');
  });

  it('names the key and the .env file of a bad value', () => {
    const d = dir();
    writeFileSync(join(d, '.env'), 'SLACK_MODE=webhook\nTEAMKB_PUBLIC_URL=not a url\n');
    const load = () => loadConfig({ configDir: 'configs', env: {}, dotenvPath: join(d, '.env') });
    expect(load).toThrow(/platforms\.slack\.mode \(from SLACK_MODE in .*\.env\)/);
    expect(load).toThrow(/server\.publicUrl \(from TEAMKB_PUBLIC_URL in .*\.env\)/);
  });

  it('takes platform settings from configs/platforms.yaml too', () => {
    const d = dir();
    writeFileSync(join(d, 'platforms.yaml'), 'feishu:\n  appId: cli_yaml\n  mode: socket\n');
    expect(() => loadConfig({ configDir: d, env: {} })).toThrow(/platforms\.feishu\.mode \(in .*platforms\.yaml\)/);
  });
});
