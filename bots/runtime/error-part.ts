import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { ReplyPart } from '../../core/chat.js';
import { type ErrorCode, isTeamKbError } from '../../core/errors.js';

/** Errors that are the user's to fix (or a refusal): shown as they are, without a reference id. */
const USER_FACING: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'PERMISSION_DENIED',
  'RATE_LIMITED',
  'INVALID_INPUT',
  'KB_NOT_FOUND',
  'KB_EXISTS',
  'KB_NAME_INVALID',
  'FILE_NOT_FOUND',
  'MODEL_NOT_FOUND',
]);

/** A short id that ties what the user saw to the logged details. */
export function newRef(): string {
  return randomBytes(4).toString('hex');
}

/** Turns any thrown value into an `error` part; unexpected ones are logged with a reference id. */
export function errorPart(err: unknown, logger: Logger, facts: Record<string, unknown> = {}): ReplyPart {
  if (isTeamKbError(err) && USER_FACING.has(err.code)) {
    logger.info({ ...facts, code: err.code, details: err.details }, err.message);
    return { type: 'error', code: err.code, message: err.message };
  }
  const ref = newRef();
  logger.error({ ...facts, ref, err }, 'failed to handle a chat event');
  if (isTeamKbError(err)) return { type: 'error', code: err.code, message: err.message, ref };
  return { type: 'error', code: 'INTERNAL', message: 'Something went wrong while answering. Please try again.', ref };
}
