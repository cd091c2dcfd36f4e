import { TeamKbError } from '../../core/errors.js';

export type FeishuMode = 'ws' | 'http';
/** `cardkit`: card entity + element streaming (typewriter); `patch`: PATCH the whole card message. */
export type StreamingStrategy = 'cardkit' | 'patch';
/** `auto`: reply in the topic thread when the question came from one, else as a quoted reply. */
export type ReplyInThread = 'auto' | 'always' | 'never';

export interface FeishuOptions {
  mode: FeishuMode;
  appId: string;
  appSecret: string;
  /** Open API base URL: `feishu`, `lark`, or any URL (a test double on loopback). */
  domain: string;
  encryptKey?: string;
  verificationToken?: string;
  /** Webhook path for events and card callbacks in HTTP mode. */
  eventsPath: string;
  maxFileBytes: number;
  /** Minimum gap between two updates of one card (500 ms = 2 updates/s). */
  updateIntervalMs: number;
  streaming: StreamingStrategy;
  replyInThread: ReplyInThread;
  /** How long after `/kb upload <kb>` file messages from the same user in the same chat are collected. */
  uploadWindowMs: number;
  /** Files arriving within this gap of each other are handed over as one upload. */
  uploadSettleMs: number;
  /** Longest wait spent retrying one rate-limited update that must not be lost. */
  rateLimitBudgetMs: number;
}

export type FeishuOptionsInput = Partial<FeishuOptions> & Pick<FeishuOptions, 'appId' | 'appSecret'>;

const DEFAULTS: Omit<FeishuOptions, 'appId' | 'appSecret'> = {
  mode: 'ws',
  domain: 'feishu',
  eventsPath: '/feishu/events',
  maxFileBytes: 100 * 1024 * 1024,
  updateIntervalMs: 500,
  streaming: 'cardkit',
  replyInThread: 'auto',
  uploadWindowMs: 10 * 60_000,
  uploadSettleMs: 2_000,
  rateLimitBudgetMs: 60_000,
};

export function withDefaults(input: FeishuOptionsInput): FeishuOptions {
  const defined = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
  const options = { ...DEFAULTS, ...defined } as FeishuOptions;
  if (!options.appId || !options.appSecret) {
    throw new TeamKbError('CONFIG_INVALID', 'Feishu needs FEISHU_APP_ID and FEISHU_APP_SECRET (from the app credentials page).');
  }
  return options;
}

/** `feishu` and `lark` name the public clouds; anything else is used as the base URL. */
export function resolveDomain(domain: string): string {
  const key = domain.trim().toLowerCase();
  if (key === '' || key === 'feishu') return 'https://open.feishu.cn';
  if (key === 'lark' || key === 'larksuite') return 'https://open.larksuite.com';
  if (!/^https?:\/\//.test(key)) {
    throw new TeamKbError('CONFIG_INVALID', `FEISHU_DOMAIN "${domain}" must be feishu, lark or an http(s) URL.`);
  }
  return domain.trim().replace(/\/+$/, '');
}
