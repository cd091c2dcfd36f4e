/** Stable error codes shown to users (in words) and to API clients (as codes). */
export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'KB_NOT_FOUND'
  | 'KB_EXISTS'
  | 'KB_NAME_INVALID'
  | 'FILE_NOT_FOUND'
  /** A cited passage that does not exist, is no longer searchable, or is not the asker's to see. */
  | 'PASSAGE_NOT_FOUND'
  | 'JOB_NOT_FOUND'
  /** Only a job still waiting in the ingest queue can be cancelled. */
  | 'JOB_NOT_CANCELLABLE'
  | 'CONVERSATION_NOT_FOUND'
  | 'FILE_UNSUPPORTED'
  | 'FILE_TOO_LARGE'
  | 'FILE_EMPTY'
  | 'FILE_CORRUPT'
  | 'FILE_ENCRYPTED'
  | 'OCR_UNAVAILABLE'
  | 'PARSE_TIMEOUT'
  | 'EMBEDDER_MISMATCH'
  | 'EMBEDDER_UNAVAILABLE'
  | 'RERANKER_UNAVAILABLE'
  | 'DIMENSION_MISMATCH'
  | 'MODEL_NOT_FOUND'
  | 'MODEL_DOWNLOAD_FAILED'
  | 'LLM_UNAVAILABLE'
  | 'STORE_UNAVAILABLE'
  /** The store answered but refused the request (bad schema, old server, internal error). */
  | 'STORE_FAILED'
  /** The state database (SQLite or PostgreSQL: registry, conversations, sessions…) is unreachable or refused a statement. */
  | 'STATE_DB_FAILED'
  | 'SEARCH_FAILED'
  | 'FETCH_FORBIDDEN'
  | 'FETCH_FAILED'
  | 'PERMISSION_DENIED'
  | 'RATE_LIMITED'
  | 'CANCELLED'
  | 'INVALID_INPUT'
  | 'INTERNAL';

export class TeamKbError extends Error {
  readonly code: ErrorCode;
  /** Extra facts for logs and API clients (never secrets). */
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TeamKbError';
    this.code = code;
    this.details = options?.details;
  }
}

export function isTeamKbError(err: unknown, code?: ErrorCode): err is TeamKbError {
  return err instanceof TeamKbError && (code === undefined || err.code === code);
}

/** A one-line, user-facing description of any thrown value. */
export function describeError(err: unknown): string {
  if (err instanceof TeamKbError) return err.message;
  if (err instanceof Error) return err.message.split('\n')[0] || err.name;
  return String(err);
}
