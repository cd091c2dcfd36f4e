import type { Logger } from 'pino';

/**
 * The SDK logs whole axios errors, whose request config carries the tenant access token.
 * Everything it logs goes through here and is reduced to short text with bearer tokens masked.
 */
function describe(arg: unknown): string {
  if (typeof arg === 'string') return arg;
  if (arg instanceof Error) {
    const response = (arg as { response?: { status?: number; data?: { code?: unknown; msg?: unknown } } }).response;
    const status = response?.status ? ` HTTP ${response.status}` : '';
    const code = response?.data?.code !== undefined ? ` code ${String(response.data.code)}` : '';
    return `${arg.message}${status}${code}`;
  }
  try {
    return JSON.stringify(arg) ?? String(arg);
  } catch {
    return String(arg);
  }
}

export function redact(text: string): string {
  return text
    .replace(/(Bearer\s+)[\w.-]+/gi, '$1***')
    .replace(/("(?:app_secret|tenant_access_token|AppSecret)"\s*:\s*")[^"]*"/g, '$1***"');
}

function line(args: unknown[]): string {
  return redact(args.map(describe).join(' ')).slice(0, 2000);
}

/** A node-sdk Logger writing to our pino logger. SDK info chatter goes to debug. */
export function sdkLogger(logger: Logger) {
  const log = logger.child({ component: 'feishu-sdk' });
  return {
    error: (...args: unknown[]) => log.warn(line(args)),
    warn: (...args: unknown[]) => log.warn(line(args)),
    info: (...args: unknown[]) => log.debug(line(args)),
    debug: (...args: unknown[]) => log.debug(line(args)),
    trace: (...args: unknown[]) => log.trace(line(args)),
  };
}

/** Per-adapter token cache, so two adapters (or tests) never share a tenant token by app id. */
export function tokenCache() {
  const values = new Map<string, { value: unknown; expiresAt?: number }>();
  const keyOf = (key: unknown, namespace?: string) => `${namespace ?? ''}/${String(key)}`;
  return {
    async get(key: unknown, options?: { namespace?: string }): Promise<unknown> {
      const entry = values.get(keyOf(key, options?.namespace));
      if (!entry || (entry.expiresAt !== undefined && entry.expiresAt <= Date.now())) return undefined;
      return entry.value;
    },
    async set(key: unknown, value: unknown, expiresAt?: number, options?: { namespace?: string }): Promise<boolean> {
      values.set(keyOf(key, options?.namespace), { value, expiresAt });
      return true;
    },
  };
}
