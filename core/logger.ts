import pino from 'pino';
import { redactDeep, SecretScrubber } from './log-redaction.js';

export type Logger = pino.Logger;

/** Configured secret values, cut out of every line of every logger of this process. */
const scrubber = new SecretScrubber();

/** Registers secret values (API keys, tokens, signing secrets) that must never be written. */
export function addLogSecrets(values: Iterable<string | undefined>): void {
  scrubber.add(values);
}

export interface LoggerOptions {
  /** Where lines go (tests capture them); default stderr. */
  destination?: { write(line: string): unknown };
}

/**
 * The one logger, injected everywhere. Writes to stderr so CLI output on stdout stays clean.
 * Secret-keyed fields are redacted at any depth (libraries log whole request options), and
 * registered secret values are removed from each finished line.
 */
export function createLogger(level: string, name = 'teamkb', opts: LoggerOptions = {}): Logger {
  const target = opts.destination ?? pino.destination(2);
  const stream = { write: (line: string) => target.write(scrubber.scrub(line)) };
  return pino(
    {
      name,
      level,
      formatters: {
        log: (obj) => redactDeep(obj) as Record<string, unknown>,
        bindings: (bindings) => redactDeep(bindings) as Record<string, unknown>,
      },
    },
    stream,
  );
}
