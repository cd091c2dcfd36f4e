import { createHash, randomBytes } from 'node:crypto';

/** A fresh unguessable token (256 bits), URL- and cookie-safe. */
export function newToken(prefix = ''): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/** What is stored instead of a token: enough to recognise it, useless to present. */
export function digestOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
