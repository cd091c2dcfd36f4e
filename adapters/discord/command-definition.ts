import {
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandSubcommandOption,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { CommandOption, CommandSpec } from '../../core/chat.js';
import { TeamKbError } from '../../core/errors.js';

export const KB_COMMAND_NAME = 'kb';
const MAX_SUBCOMMANDS = 25;
const MAX_OPTIONS = 25;

const OPTION_TYPES: Record<CommandOption['kind'], ApplicationCommandOptionType> = {
  kb: ApplicationCommandOptionType.String,
  text: ApplicationCommandOptionType.String,
  file: ApplicationCommandOptionType.Attachment,
  flag: ApplicationCommandOptionType.Boolean,
};

/** Discord names are lower-case, 1–32 characters of letters, digits, `-` and `_`. */
export function discordName(name: string): string {
  const cleaned = name
    .toLowerCase()
    .replace(/[^\p{L}\p{N}_-]+/gu, '_')
    .slice(0, 32);
  return cleaned || 'x';
}

/** The single `/kb` chat command, with one subcommand per runtime command (the runtime's grammar, mirrored). */
export function kbCommandDefinition(specs: CommandSpec[]): RESTPostAPIChatInputApplicationCommandsJSONBody {
  if (specs.length > MAX_SUBCOMMANDS) {
    throw new TeamKbError('INVALID_INPUT', `/kb has ${specs.length} subcommands; Discord allows ${MAX_SUBCOMMANDS} per command.`);
  }
  return {
    type: ApplicationCommandType.ChatInput,
    name: KB_COMMAND_NAME,
    description: 'Ask and manage TeamKB knowledge bases',
    contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
    integration_types: [ApplicationIntegrationType.GuildInstall],
    options: specs.map(subcommand),
  };
}

function subcommand(spec: CommandSpec): APIApplicationCommandSubcommandOption {
  if (spec.options.length > MAX_OPTIONS) {
    throw new TeamKbError('INVALID_INPUT', `/kb ${spec.name} has ${spec.options.length} options; Discord allows ${MAX_OPTIONS}.`);
  }
  // Discord rejects a required option listed after an optional one.
  const ordered = [...spec.options.filter((o) => o.required), ...spec.options.filter((o) => !o.required)];
  return {
    type: ApplicationCommandOptionType.Subcommand,
    name: discordName(spec.name),
    description: describe(spec.description || spec.usage),
    options: ordered.map(option),
  };
}

function option(o: CommandOption): APIApplicationCommandBasicOption {
  const base = { name: discordName(o.name), description: describe(o.description || o.name), required: o.required };
  if (o.kind === 'kb') return { ...base, type: ApplicationCommandOptionType.String, autocomplete: true };
  if (o.kind === 'text') return { ...base, type: ApplicationCommandOptionType.String };
  if (o.kind === 'file') return { ...base, type: ApplicationCommandOptionType.Attachment };
  return { ...base, type: OPTION_TYPES[o.kind] as ApplicationCommandOptionType.Boolean };
}

function describe(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim() || '—';
  return oneLine.length <= 100 ? oneLine : `${oneLine.slice(0, 99)}…`;
}
