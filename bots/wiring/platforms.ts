import type { ChatAdapter } from '../../core/chat.js';
import type { PlatformsConfig } from '../../core/config/platform-schema.js';
import { describeError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { discordOptionsFrom, feishuOptionsFrom, slackOptionsFrom } from './platform-options.js';

interface PlatformEntry {
  name: string;
  /** Whether the platform's token is set, which turns it on. */
  enabled: (config: PlatformsConfig) => boolean;
  /** Imports the platform's SDK only when the platform is on: each costs start-up time and memory. */
  create: (config: PlatformsConfig, logger: Logger) => Promise<ChatAdapter>;
}

const PLATFORMS: PlatformEntry[] = [
  {
    name: 'slack',
    enabled: (c) => Boolean(c.slack.botToken),
    create: async (c, logger) => (await import('../../adapters/slack/index.js')).createSlackAdapter(slackOptionsFrom(c), logger),
  },
  {
    name: 'discord',
    enabled: (c) => Boolean(c.discord.token),
    create: async (c, logger) =>
      (await import('../../adapters/discord/index.js')).createDiscordAdapter(discordOptionsFrom(c), logger),
  },
  {
    name: 'feishu',
    enabled: (c) => Boolean(c.feishu.appId),
    create: async (c, logger) =>
      (await import('../../adapters/feishu/index.js')).createFeishuAdapter(feishuOptionsFrom(c), logger),
  },
];

/** Adapters for every platform whose token is configured; bad settings become problems, not crashes. */
export async function createPlatformAdapters(
  config: PlatformsConfig,
  logger: Logger,
): Promise<{ adapters: ChatAdapter[]; problems: string[] }> {
  const adapters: ChatAdapter[] = [];
  const problems: string[] = [];
  for (const platform of PLATFORMS) {
    if (!platform.enabled(config)) continue;
    try {
      adapters.push(await platform.create(config, logger.child({ component: platform.name })));
    } catch (err) {
      problems.push(`${platform.name}: ${describeError(err)}`);
    }
  }
  return { adapters, problems };
}
