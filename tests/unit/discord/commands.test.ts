import { GatewayIntentBits, REST } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kbCommandDefinition } from '../../../adapters/discord/command-definition.js';
import { commandText, quoteWord } from '../../../adapters/discord/command-text.js';
import { registerKbCommand } from '../../../adapters/discord/register.js';
import { commandSpecs } from '../../../bots/commands/grammar.js';
import { parseCommand } from '../../../bots/commands/parse.js';
import { discordOptionsFrom } from '../../../bots/wiring/platform-options.js';
import type { CommandSpec } from '../../../core/chat.js';
import { loadConfig } from '../../../core/config/load.js';
import { runDiscordRegister } from '../../../scripts/discord-register.js';
import { FakeDiscord } from './fake/fake-discord.js';
import { makeDiscordHarness } from './harness.js';
import { ScriptedRuntime } from './scripted-runtime.js';

const specs: CommandSpec[] = [
  {
    name: 'search',
    usage: 'search [kb] <query>',
    description: 'Search',
    adminOnly: false,
    options: [
      { name: 'kb', description: 'Knowledge base', kind: 'kb', required: false },
      { name: 'query', description: 'What to look for', kind: 'text', required: true },
    ],
  },
  {
    name: 'upload',
    usage: 'upload <kb>',
    description: 'Add files',
    adminOnly: true,
    options: [
      { name: 'kb', description: 'Knowledge base', kind: 'kb', required: true },
      { name: 'file', description: 'File', kind: 'file', required: false },
      { name: 'private', description: 'Only here', kind: 'flag', required: false },
    ],
  },
];

describe('/kb command definition', () => {
  it('mirrors the grammar: kb → autocompleted string, text → string, file → attachment, flag → boolean', () => {
    const def = kbCommandDefinition(specs);
    expect(def.name).toBe('kb');
    expect(def.options).toEqual([
      {
        type: 1,
        name: 'search',
        description: 'Search',
        options: [
          { type: 3, name: 'query', description: 'What to look for', required: true },
          { type: 3, name: 'kb', description: 'Knowledge base', required: false, autocomplete: true },
        ],
      },
      {
        type: 1,
        name: 'upload',
        description: 'Add files',
        options: [
          { type: 3, name: 'kb', description: 'Knowledge base', required: true, autocomplete: true },
          { type: 11, name: 'file', description: 'File', required: false },
          { type: 5, name: 'private', description: 'Only here', required: false },
        ],
      },
    ]);
  });

  it('fits Discord limits for the real grammar', () => {
    const def = kbCommandDefinition(commandSpecs());
    const subcommands = def.options ?? [];
    expect(subcommands.length).toBeLessThanOrEqual(25);
    for (const sub of subcommands) {
      expect(sub.name).toMatch(/^[-_\p{Ll}\p{N}]{1,32}$/u);
      expect(sub.description.length).toBeLessThanOrEqual(100);
    }
  });
});

describe('options back to the text grammar', () => {
  it.each([
    [
      'search',
      [
        { name: 'query', value: 'vpn key' },
        { name: 'kb', value: 'handbook' },
      ],
      'search handbook "vpn key"',
    ],
    ['search', [{ name: 'query', value: 'rotate' }], 'search rotate'],
    [
      'upload',
      [
        { name: 'kb', value: 'handbook' },
        { name: 'file', value: '991' },
        { name: 'private', value: true },
      ],
      'upload handbook --private',
    ],
    [
      'upload',
      [
        { name: 'kb', value: 'handbook' },
        { name: 'private', value: false },
      ],
      'upload handbook',
    ],
  ])('%s %j → %s', (sub, options, text) => {
    expect(commandText(sub, options, specs)).toBe(text);
  });

  it.each([
    ['plain', 'plain'],
    ['two words', '"two words"'],
    ['say "hi" now', '「say "hi" now」'],
    ['--yes', '"--yes"'],
    ['', '""'],
  ])('quotes %j as %s', (value, quoted) => {
    expect(quoteWord(value)).toBe(quoted);
  });

  it('round-trips through the runtime parser', () => {
    const real = commandSpecs();
    const question = 'what does "rotate" mean for the VPN key?';
    const text = commandText(
      'ask',
      [
        { name: 'kb', value: 'handbook' },
        { name: 'question', value: question },
      ],
      real,
    );
    expect(parseCommand(text)).toEqual({ ok: true, command: { name: 'ask', kb: 'handbook', question } });
    const del = commandText(
      'delete',
      [
        { name: 'kb', value: 'handbook' },
        { name: 'yes', value: true },
      ],
      real,
    );
    expect(parseCommand(del)).toEqual({ ok: true, command: { name: 'delete', kb: 'handbook', yes: true } });
  });
});

describe('registration', () => {
  let fake: FakeDiscord;
  beforeAll(async () => {
    fake = await new FakeDiscord().start();
  });
  afterAll(() => fake.stop());

  it('bulk-overwrites with PUT, so running twice leaves one identical command', async () => {
    const rest = new REST({ api: fake.apiUrl }).setToken(fake.token);
    await registerKbCommand({ rest, applicationId: fake.applicationId, specs });
    const first = fake.world.commands.get('global') as { id: string }[];
    await registerKbCommand({ rest, applicationId: fake.applicationId, specs });
    const puts = fake.rest.calls.filter((c) => c.method === 'PUT');
    expect(puts.map((c) => c.route)).toEqual([
      `/applications/${fake.applicationId}/commands`,
      `/applications/${fake.applicationId}/commands`,
    ]);
    expect(puts[0]?.body).toEqual(puts[1]?.body);
    expect(fake.world.commands.get('global')).toHaveLength(1);
    expect((fake.world.commands.get('global') as { id: string }[])[0]?.id).toBe(first[0]?.id);
  });

  it('registers for one guild from the npm script', async () => {
    const lines: string[] = [];
    const env = { DISCORD_TOKEN: fake.token, DISCORD_APPLICATION_ID: fake.applicationId, DISCORD_API_URL: fake.apiUrl };
    const code = await runDiscordRegister(['--guild', '123456789012345678'], env, (l) => lines.push(l));
    expect(code).toBe(0);
    expect(lines.join('\n')).toMatch(/Registered \/kb with \d+ subcommands for guild 123456789012345678/);
    const saved = fake.world.commands.get('guild:123456789012345678') as { name: string; options: unknown[] }[];
    expect(saved.map((c) => c.name)).toEqual(['kb']);
    expect(saved[0]?.options.length).toBe(commandSpecs().length);
  });

  it('explains a missing token instead of calling Discord', async () => {
    const lines: string[] = [];
    expect(await runDiscordRegister([], {}, (l) => lines.push(l))).toBe(1);
    expect(lines[0]).toContain('DISCORD_TOKEN is not set');
  });
});

describe('adapter start-up registration', () => {
  it('registers /kb for the configured guild when asked to', async () => {
    const h = await makeDiscordHarness({ adapter: { registerCommands: '223456789012345678' } });
    try {
      await h.adapter.start(new ScriptedRuntime());
      const saved = h.fake.world.commands.get('guild:223456789012345678') as { name: string }[];
      expect(saved.map((c) => c.name)).toEqual(['kb']);
      expect(h.fake.gateway.identifies[0]?.intents).toBe(
        GatewayIntentBits.Guilds |
          GatewayIntentBits.GuildMessages |
          GatewayIntentBits.MessageContent |
          GatewayIntentBits.DirectMessages,
      );
    } finally {
      await h.adapter.stop();
      await h.close();
    }
  });
});

describe('options from the configuration', () => {
  const discordOptionsFromEnv = (env: Record<string, string>) =>
    discordOptionsFrom(loadConfig({ configDir: 'configs', env }).platforms);

  it('reads DISCORD_* variables and names a missing one', () => {
    const options = discordOptionsFromEnv({
      DISCORD_TOKEN: 't',
      DISCORD_APPLICATION_ID: '1',
      DISCORD_API_URL: 'http://127.0.0.1:9/api/',
      DISCORD_EDIT_INTERVAL_MS: '800',
    });
    expect(options).toMatchObject({
      apiUrl: 'http://127.0.0.1:9/api',
      editIntervalMs: 800,
      maxFileBytes: 100 * 1024 * 1024,
      registerCommands: 'off',
    });
    expect(() => discordOptionsFromEnv({ DISCORD_TOKEN: 't' })).toThrow(/DISCORD_APPLICATION_ID is not set/);
    expect(() =>
      discordOptionsFromEnv({ DISCORD_TOKEN: 't', DISCORD_APPLICATION_ID: '1', DISCORD_MAX_FILE_BYTES: 'lots' }),
    ).toThrow(/platforms\.discord\.maxFileBytes \(from environment variable DISCORD_MAX_FILE_BYTES\)/);
  });
});
