import { createDiscordAdapter } from '../../adapters/discord/index.js';
import { createFeishuAdapter } from '../../adapters/feishu/index.js';
import { createSlackAdapter } from '../../adapters/slack/index.js';
import type { ChatAdapter } from '../../core/chat.js';
import type { PlatformsConfig } from '../../core/config/platform-schema.js';
import { describeError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { discordOptionsFrom, feishuOptionsFrom, slackOptionsFrom } from './platform-options.js';

interface PlatformEntry {
  name: string;
  /** Whether the platform's token is set, which turns it on. */
  enabled: (config: PlatformsConfig) => boolean;
  create: (config: PlatformsConfig, logger: Logger) => ChatAdapter;
}

const PLATFORMS: PlatformEntry[] = [
  {
    name: 'slack',
    enabled: (c) => Boolean(c.slack.botToken),
    create: (c, logger) => createSlackAdapter(slackOptionsFrom(c), logger),
  },
  {
    name: 'discord',
    enabled: (c) => Boolean(c.discord.token),
    create: (c, logger) => createDiscordAdapter(discordOptionsFrom(c), logger),
  },
  {
    name: 'feishu',
    enabled: (c) => Boolean(c.feishu.appId),
    create: (c, logger) => createFeishuAdapter(feishuOptionsFrom(c), logger),
  },
];

/** Adapters for every platform whose token is configured; bad settings become problems, not crashes. */
export function createPlatformAdapters(config: PlatformsConfig, logger: Logger): { adapters: ChatAdapter[]; problems: string[] } {
  const adapters: ChatAdapter[] = [];
  const problems: string[] = [];
  for (const platform of PLATFORMS) {
    if (!platform.enabled(config)) continue;
    try {
      adapters.push(platform.create(config, logger.child({ component: platform.name })));
    } catch (err) {
      problems.push(`${platform.name}: ${describeError(err)}`);
    }
  }
  return { adapters, problems };
}
