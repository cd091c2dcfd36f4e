export { createDiscordAdapter } from './adapter.js';
export { KB_COMMAND_NAME, kbCommandDefinition } from './command-definition.js';
export { commandText, quoteWord } from './command-text.js';
export {
  DISCORD_DEFAULTS,
  type DiscordAdapterInput,
  type DiscordAdapterOptions,
  resolveDiscordOptions,
} from './options.js';
export { type RegisterResult, registerKbCommand } from './register.js';
