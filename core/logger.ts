import pino from 'pino';

export type Logger = pino.Logger;

/** Keys whose values never reach a log line. */
const REDACT = [
  '*.token',
  '*.apiKey',
  '*.password',
  '*.secret',
  '*.signingSecret',
  '*.appSecret',
  '*.encryptKey',
  '*.authorization',
  '*.Authorization',
  'headers.authorization',
  'req.headers.authorization',
];

/** The one logger, injected everywhere. Writes to stderr so CLI output on stdout stays clean. */
export function createLogger(level: string, name = 'teamkb'): Logger {
  return pino({ name, level, redact: { paths: REDACT, censor: '[redacted]' } }, pino.destination(2));
}
