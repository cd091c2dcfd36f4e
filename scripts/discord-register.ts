import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { REST } from 'discord.js';
import { kbCommandDefinition } from '../adapters/discord/command-definition.js';
import { DISCORD_DEFAULTS } from '../adapters/discord/options.js';
import { registerKbCommand } from '../adapters/discord/register.js';
import { commandSpecs } from '../bots/commands/grammar.js';
import type { CommandSpec } from '../core/chat.js';
import { loadConfig } from '../core/config/load.js';
import { describeError, TeamKbError } from '../core/errors.js';

const USAGE = `Registers the /kb command with Discord (bulk overwrite: running it again changes nothing).

Usage: npm run discord:register -- [--guild <id>] [--specs <file.json>] [--dry-run]
  --guild <id>      register for one guild (appears at once) instead of globally
  --specs <file>    command specs as JSON (default: the bot's own /kb grammar)
  --dry-run         print the command JSON without sending it
Environment: DISCORD_TOKEN, DISCORD_APPLICATION_ID, DISCORD_API_URL (default ${DISCORD_DEFAULTS.apiUrl})`;

interface Args {
  guildId?: string;
  specsFile?: string;
  dryRun: boolean;
  help: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { dryRun: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--guild') args.guildId = argv[++i];
    else if (arg === '--specs') args.specsFile = argv[++i];
    else if (arg === '--dry-run') args.dryRun = true;
    else if (arg === '--help' || arg === '-h') args.help = true;
    else throw new TeamKbError('INVALID_INPUT', `Unknown argument "${arg}". Run with --help for usage.`);
  }
  if (args.guildId !== undefined && !/^\d{15,21}$/.test(args.guildId)) {
    throw new TeamKbError(
      'INVALID_INPUT',
      `--guild needs a guild id (a number such as 123456789012345678), got "${args.guildId ?? ''}".`,
    );
  }
  return args;
}

function loadSpecs(file: string | undefined): CommandSpec[] {
  if (!file) return commandSpecs();
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as CommandSpec[];
  } catch (err) {
    throw new TeamKbError('INVALID_INPUT', `Could not read command specs from ${file}: ${describeError(err)}`, { cause: err });
  }
}

function required(value: string | undefined, key: string): string {
  if (!value) throw new TeamKbError('CONFIG_INVALID', `${key} is not set (see the README, "Add TeamKB to Discord").`);
  return value;
}

/** Runs the registration with the configured Discord settings (env: instead of the real environment and .env); returns the exit code. */
export async function runDiscordRegister(
  argv: string[],
  env?: NodeJS.ProcessEnv,
  print: (line: string) => void = console.log,
): Promise<number> {
  try {
    const args = parseArgs(argv);
    if (args.help) {
      print(USAGE);
      return 0;
    }
    const specs = loadSpecs(args.specsFile);
    if (args.dryRun) {
      print(JSON.stringify([kbCommandDefinition(specs)], null, 2));
      return 0;
    }
    const discord = loadConfig(env ? { env } : {}).platforms.discord;
    const apiUrl = (discord.apiUrl || DISCORD_DEFAULTS.apiUrl).replace(/\/+$/, '');
    const rest = new REST({ api: apiUrl }).setToken(required(discord.token, 'DISCORD_TOKEN'));
    const applicationId = required(discord.applicationId, 'DISCORD_APPLICATION_ID');
    const result = await registerKbCommand({ rest, applicationId, specs, guildId: args.guildId });
    const where = result.scope === 'guild' ? `guild ${args.guildId}` : 'all guilds (global; may take up to an hour to appear)';
    print(`Registered /kb with ${specs.length} subcommands for ${where}.`);
    return 0;
  } catch (err) {
    print(`discord:register failed: ${describeError(err)}`);
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await runDiscordRegister(process.argv.slice(2));
}
