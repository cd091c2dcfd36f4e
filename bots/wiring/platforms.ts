import { createDiscordAdapter, discordOptionsFromEnv } from '../../adapters/discord/index.js';
import { createFeishuAdapter, feishuOptionsFromEnv } from '../../adapters/feishu/index.js';
import { createSlackAdapter, slackOptionsFromEnv } from '../../adapters/slack/index.js';
import type { ChatAdapter } from '../../core/chat.js';
import { describeError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';

interface PlatformEntry {
  name: string;
  /** The variable whose presence turns the platform on. */
  trigger: string;
  create: (env: NodeJS.ProcessEnv, logger: Logger) => ChatAdapter;
}

const PLATFORMS: PlatformEntry[] = [
  { name: 'slack', trigger: 'SLACK_BOT_TOKEN', create: (env, logger) => createSlackAdapter(slackOptionsFromEnv(env), logger) },
  {
    name: 'discord',
    trigger: 'DISCORD_TOKEN',
    create: (env, logger) => createDiscordAdapter(discordOptionsFromEnv(env), logger),
  },
  { name: 'feishu', trigger: 'FEISHU_APP_ID', create: (env, logger) => createFeishuAdapter(feishuOptionsFromEnv(env), logger) },
];

/** Adapters for every platform whose credentials are set; bad settings become problems, not crashes. */
export function createPlatformAdapters(env: NodeJS.ProcessEnv, logger: Logger): { adapters: ChatAdapter[]; problems: string[] } {
  const adapters: ChatAdapter[] = [];
  const problems: string[] = [];
  for (const platform of PLATFORMS) {
    if (!env[platform.trigger]) continue;
    try {
      adapters.push(platform.create(env, logger.child({ component: platform.name })));
    } catch (err) {
      problems.push(`${platform.name}: ${describeError(err)}`);
    }
  }
  return { adapters, problems };
}
