import { z } from 'zod';

/**
 * Chat platform settings (configs/platforms.yaml, SLACK_* / DISCORD_* / FEISHU_* variables). A
 * platform starts when its token is set. Unset tuning values take the adapter's default, which the
 * adapter documents next to its options; the names here are the adapter option names.
 */
const positiveInt = z.number().int().positive();

export const slackSchema = z
  .object({
    botToken: z.string().optional(),
    appToken: z.string().optional(),
    signingSecret: z.string().optional(),
    mode: z.enum(['socket', 'http']).optional(),
    apiUrl: z.string().url().optional(),
    eventsPath: z.string().optional(),
    commandName: z.string().optional(),
    streaming: z.enum(['native', 'update', 'auto']).optional(),
    updateIntervalMs: z.number().int().min(0).optional(),
    maxMessageChars: positiveInt.optional(),
    maxFileBytes: positiveInt.optional(),
  })
  .strict();

export const discordSchema = z
  .object({
    token: z.string().optional(),
    applicationId: z.string().optional(),
    apiUrl: z.string().url().optional(),
    editIntervalMs: z.number().min(0).optional(),
    maxFileBytes: z.number().min(0).optional(),
    /** 'off', 'global', or a guild id: where `/kb` is registered when the adapter starts. */
    registerCommands: z.string().optional(),
  })
  .strict();

export const feishuSchema = z
  .object({
    appId: z.string().optional(),
    appSecret: z.string().optional(),
    mode: z.enum(['ws', 'http']).optional(),
    /** feishu, lark, or a base URL. */
    domain: z.string().optional(),
    encryptKey: z.string().optional(),
    verificationToken: z.string().optional(),
    eventsPath: z.string().optional(),
    maxFileBytes: z.number().positive().optional(),
    updateIntervalMs: z.number().positive().optional(),
    streaming: z.enum(['cardkit', 'patch']).optional(),
    replyInThread: z.enum(['auto', 'always', 'never']).optional(),
    uploadWindowMs: z.number().positive().optional(),
  })
  .strict();

/** A platform key left with only commented-out settings reads as null in YAML: same as none set. */
const orEmpty = <T extends z.ZodType>(schema: T) => z.preprocess((v) => v ?? {}, schema);

export const platformsSchema = z
  .object({
    slack: orEmpty(slackSchema),
    discord: orEmpty(discordSchema),
    feishu: orEmpty(feishuSchema),
  })
  .strict();

/** Web search for the `web` chat mode (configs/search.yaml). DuckDuckGo needs no key and is the fallback. */
export const searchSchema = z
  .object({
    /** Engine ids to try, in order; empty: SearXNG when its URL is set, then every engine with a key, else DuckDuckGo. */
    order: z.array(z.string().trim().toLowerCase().min(1)).default([]),
    searxngUrl: z.string().url().optional(),
    bingKey: z.string().optional(),
    bingUrl: z.string().url().optional(),
    braveKey: z.string().optional(),
    braveUrl: z.string().url().optional(),
    tavilyKey: z.string().optional(),
    tavilyUrl: z.string().url().optional(),
    duckduckgoUrl: z.string().url().optional(),
    /** Per-request time limit for every engine. */
    timeoutMs: positiveInt.default(10_000),
  })
  .strict();

export type PlatformsConfig = z.infer<typeof platformsSchema>;
export type SearchConfig = z.infer<typeof searchSchema>;
