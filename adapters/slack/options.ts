import { TeamKbError } from '../../core/errors.js';

export const DEFAULT_SLACK_API_URL = 'https://slack.com/api/';

/** How answers stream: Slack's chat.*Stream methods, placeholder + chat.update, or native when Slack allows it. */
export type SlackStreaming = 'native' | 'update' | 'auto';

/** WebClient retry policy (node-retry options); tests shorten it. */
export interface SlackRetryPolicy {
  retries: number;
  factor?: number;
  minTimeout?: number;
  maxTimeout?: number;
  randomize?: boolean;
}

export interface SlackAdapterOptions {
  /** `socket` (default): Socket Mode over a WebSocket. `http`: Events API posted to `eventsPath`. */
  mode: 'socket' | 'http';
  /** Bot token (xoxb-…). */
  botToken: string;
  /** App-level token (xapp-…) with connections:write; required in socket mode. */
  appToken?: string;
  /** Signing secret; required in HTTP mode. */
  signingSecret?: string;
  /** Web API base URL; also the origin Slack-hosted file and response URLs go through when not the default. */
  apiUrl: string;
  /** Path of the one HTTP route that takes events, slash commands and interactivity. */
  eventsPath: string;
  /** The slash command, with its slash. */
  commandName: string;
  /** `auto` (default): native streaming in threads until Slack refuses it, then chat.update for good. */
  streaming: SlackStreaming;
  /** Minimum time between two updates (or stream appends) of one streamed message. */
  updateIntervalMs: number;
  /** Longest text one Slack message carries before the answer continues in another message. */
  maxMessageChars: number;
  /** Largest attachment the bot downloads. */
  maxFileBytes: number;
  /** Accepted age of a signed request. */
  signatureToleranceSeconds: number;
  retryPolicy?: SlackRetryPolicy;
  /** Clock for signature freshness (tests pin it). */
  now?: () => number;
}

export type SlackAdapterInput = Partial<SlackAdapterOptions> & Pick<SlackAdapterOptions, 'botToken'>;

const DEFAULTS = {
  mode: 'socket',
  apiUrl: DEFAULT_SLACK_API_URL,
  eventsPath: '/slack/events',
  commandName: '/kb',
  streaming: 'auto',
  updateIntervalMs: 1000,
  maxMessageChars: 3500,
  maxFileBytes: 100 * 1024 * 1024,
  signatureToleranceSeconds: 300,
} as const;

/** Fills defaults and checks that the chosen mode has its credentials. */
export function resolveSlackOptions(input: SlackAdapterInput): SlackAdapterOptions {
  const options: SlackAdapterOptions = { ...DEFAULTS, ...stripUndefined(input), botToken: input.botToken ?? '' };
  if (!options.botToken) throw configError('SLACK_BOT_TOKEN is required (the xoxb-… bot token from OAuth & Permissions).');
  if (options.mode === 'socket' && !options.appToken) {
    throw configError('SLACK_APP_TOKEN is required when SLACK_MODE=socket (an xapp-… app-level token with connections:write).');
  }
  if (options.mode === 'http' && !options.signingSecret) {
    throw configError('SLACK_SIGNING_SECRET is required when SLACK_MODE=http (Basic Information → Signing Secret).');
  }
  if (!options.apiUrl.endsWith('/')) options.apiUrl = `${options.apiUrl}/`;
  if (!options.eventsPath.startsWith('/')) options.eventsPath = `/${options.eventsPath}`;
  if (!options.commandName.startsWith('/')) options.commandName = `/${options.commandName}`;
  if (options.maxMessageChars < 500 || options.maxMessageChars > 39_000) {
    throw configError(`SLACK_MAX_MESSAGE_CHARS=${options.maxMessageChars} is out of range (500..39000).`);
  }
  return options;
}

function configError(message: string): TeamKbError {
  return new TeamKbError('CONFIG_INVALID', `Slack adapter: ${message}`);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
