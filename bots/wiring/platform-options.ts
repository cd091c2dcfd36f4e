import { type DiscordAdapterOptions, resolveDiscordOptions } from '../../adapters/discord/options.js';
import { type FeishuOptions, withDefaults } from '../../adapters/feishu/options.js';
import { resolveSlackOptions, type SlackAdapterOptions } from '../../adapters/slack/options.js';
import type { PlatformsConfig } from '../../core/config/platform-schema.js';

/**
 * Typed adapter options from the platforms section of the configuration. The adapters fill their
 * defaults and say which required setting is missing.
 */
export const slackOptionsFrom = (c: PlatformsConfig): SlackAdapterOptions =>
  resolveSlackOptions({ ...c.slack, botToken: c.slack.botToken ?? '' });

export const discordOptionsFrom = (c: PlatformsConfig): DiscordAdapterOptions =>
  resolveDiscordOptions({ ...c.discord, token: c.discord.token ?? '', applicationId: c.discord.applicationId ?? '' });

export const feishuOptionsFrom = (c: PlatformsConfig): FeishuOptions =>
  withDefaults({ ...c.feishu, appId: c.feishu.appId ?? '', appSecret: c.feishu.appSecret ?? '' });
