import { TeamKbError } from '../../core/errors.js';

/** How the Discord adapter connects and renders. Every URL is configurable so tests can point it at a fake. */
export interface DiscordAdapterOptions {
  /** Bot token (DISCORD_TOKEN). */
  token: string;
  /** Application id (DISCORD_APPLICATION_ID); interaction webhooks and command registration use it. */
  applicationId: string;
  /** REST base without the version, e.g. https://discord.com/api (DISCORD_API_URL). The gateway URL is discovered from it. */
  apiUrl: string;
  /** Minimum gap between two edits of a streaming message (DISCORD_EDIT_INTERVAL_MS). */
  editIntervalMs: number;
  /** Attachments larger than this are refused (DISCORD_MAX_FILE_BYTES). */
  maxFileBytes: number;
  /** Interaction tokens live 15 minutes; after this long, replies move to plain channel messages. */
  interactionTtlMs: number;
  /** Characters per message (Discord allows 2000). */
  messageLimit: number;
  /** Register `/kb` when the adapter starts: 'off', 'global', or a guild id (DISCORD_REGISTER_COMMANDS). */
  registerCommands: string;
  /** Answer follow-ups in threads the bot started without requiring another mention. */
  answerInOwnThreads: boolean;
  /** Clock, injectable for tests of the interaction-token deadline. */
  now: () => number;
}

export const DISCORD_DEFAULTS = {
  apiUrl: 'https://discord.com/api',
  editIntervalMs: 1200,
  maxFileBytes: 100 * 1024 * 1024,
  interactionTtlMs: 14 * 60 * 1000,
  messageLimit: 2000,
  registerCommands: 'off',
  answerInOwnThreads: true,
  now: Date.now,
} satisfies Omit<DiscordAdapterOptions, 'token' | 'applicationId'>;

export type DiscordAdapterInput = Pick<DiscordAdapterOptions, 'token' | 'applicationId'> & Partial<DiscordAdapterOptions>;

export function resolveDiscordOptions(input: DiscordAdapterInput): DiscordAdapterOptions {
  const options = { ...DISCORD_DEFAULTS, ...stripUndefined(input) } as DiscordAdapterOptions;
  if (!options.token) throw new TeamKbError('CONFIG_INVALID', 'DISCORD_TOKEN is not set: the Discord adapter needs a bot token.');
  if (!options.applicationId) {
    throw new TeamKbError('CONFIG_INVALID', 'DISCORD_APPLICATION_ID is not set: the Discord adapter needs the application id.');
  }
  if (options.messageLimit < 100 || options.messageLimit > 2000) {
    throw new TeamKbError('CONFIG_INVALID', `Discord messageLimit ${options.messageLimit} must be between 100 and 2000.`);
  }
  return { ...options, apiUrl: options.apiUrl.replace(/\/+$/, '') };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
