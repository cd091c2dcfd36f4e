/**
 * Secrets never reach a log line, whoever logs them (our code, Fastify, multipart, platform SDKs)
 * and however deep: values under secret-sounding keys are replaced at any depth, and every
 * configured secret value is cut out of the finished line wherever it appears (messages, URLs,
 * error texts).
 */

export const REDACTED = '[redacted]';

/** Keys whose values are credentials: authorization, cookie, *token, *secret, *password, *apiKey, signatures. */
export function isSecretKey(key: string): boolean {
  const k = key.toLowerCase().replace(/[-_\s.]/g, '');
  return /(authorization|cookie|password|passwd|secret|token|apikey|encryptkey|accesskey|privatekey|credentials?|signature)$/.test(
    k,
  );
}

const MAX_DEPTH = 12;

/** A copy of `value` with secret-keyed fields replaced at any depth (cycles and depth are bounded). */
export function redactDeep(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_DEPTH || seen.has(value)) return '[…]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, depth + 1, seen));
  if (Buffer.isBuffer(value) || value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  if (value instanceof Error) {
    out.type = value.name;
    out.message = value.message;
    out.stack = value.stack;
  }
  for (const [k, v] of Object.entries(value))
    out[k] = isSecretKey(k) && v != null && v !== '' ? REDACTED : redactDeep(v, depth + 1, seen);
  if (value instanceof Error && value.cause !== undefined) out.cause = redactDeep(value.cause, depth + 1, seen);
  return out;
}

/** Values of secret-keyed settings anywhere in `source` (config sections, environment). */
export function secretValuesOf(source: unknown, depth = 0): string[] {
  if (source === null || typeof source !== 'object' || depth > MAX_DEPTH) return [];
  const found: string[] = [];
  for (const [k, v] of Object.entries(source)) {
    if (typeof v === 'string' && isSecretKey(k)) found.push(v);
    else found.push(...secretValuesOf(v, depth + 1));
  }
  return found;
}

/** Shorter values would cut ordinary words out of log lines. */
const MIN_SECRET_LENGTH = 6;

/** Secret values cut out of every line; filled from configuration at start. */
export class SecretScrubber {
  private readonly values = new Set<string>();

  add(values: Iterable<string | undefined>): void {
    for (const v of values) {
      if (!v || v.length < MIN_SECRET_LENGTH) continue;
      this.values.add(v);
      // A line is JSON: a value with quotes or backslashes appears escaped there.
      this.values.add(JSON.stringify(v).slice(1, -1));
    }
  }

  scrub(line: string): string {
    let out = line;
    for (const v of this.values) if (out.includes(v)) out = out.split(v).join(REDACTED);
    return out;
  }
}
