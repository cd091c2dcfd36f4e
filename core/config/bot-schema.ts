import { z } from 'zod';

/** Chat runtime settings (configs/bot.yaml). platform ("slack", "discord", "feishu", "web", or "*" for every platform) → ids. */
const idsByPlatform = z.record(z.string(), z.array(z.string()));

/**
 * Which KB answers when none is named or bound. Keys are `<platform>:<id>` or a bare `<id>`;
 * users win over workspaces, `fallback` applies everywhere else.
 */
export const defaultKbSchema = z
  .object({
    users: z.record(z.string(), z.string()).default({}),
    workspaces: z.record(z.string(), z.string()).default({}),
    fallback: z.string().optional(),
  })
  .strict();

export const runtimeConfigSchema = z
  .object({
    /** User ids allowed to create, fill and delete knowledge bases ("*" = everyone on that platform). */
    admins: idsByPlatform.default({}),
    /** Platform role or group ids whose members are admins too. */
    adminRoles: idsByPlatform.default({}),
    defaultKb: defaultKbSchema.default(defaultKbSchema.parse({})),
    /** Earlier question/answer pairs of a thread given to the model for follow-ups. */
    historyTurns: z.number().int().min(0).max(50).default(3),
    /** How long files shared in a conversation stay queryable. */
    fileChatTtlMinutes: z.number().positive().max(10_080).default(60),
    /** Most temporary file-chat knowledge bases kept; the oldest go first. */
    maxTempKbs: z.number().int().min(1).max(10_000).default(20),
    /** Questions per user per minute; 0 turns the limit off. */
    rateLimitPerMinute: z.number().int().min(0).max(10_000).default(10),
    /** How long event ids are remembered to drop platform redeliveries. */
    dedupeWindowMinutes: z.number().positive().max(10_080).default(10),
    /** How long a delete confirmation button stays valid. */
    confirmTtlMinutes: z.number().positive().max(1_440).default(10),
    /** How often expired temp KBs, event ids and confirmations are purged; 0: only by purgeExpired(). */
    purgeIntervalMinutes: z.number().min(0).max(1_440).default(5),
  })
  .strict();

export type RuntimeConfig = z.infer<typeof runtimeConfigSchema>;
