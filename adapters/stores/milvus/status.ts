import { type ErrorCode, TeamKbError } from '../../../core/errors.js';

/** A Milvus response status: `code` is the 2.3+ error code, `error_code` the legacy enum name. */
export interface MilvusStatus {
  error_code?: string | number;
  code?: number | string;
  reason?: string;
  retriable?: boolean;
}

/**
 * What a failure means to the store. Milvus 2.5 reports most failures as a status inside a
 * successful gRPC reply, so statuses and thrown gRPC errors are sorted into the same kinds.
 */
export type FailureKind = 'not-found' | 'not-loaded' | 'retryable' | 'rate-limited' | 'denied' | 'unreachable' | 'failed';

// Milvus error codes (pkg/util/merr): 1 service not ready, 2 unavailable, 4 too many requests,
// 8 rate limit, 12 resource insufficient, 103 collection not fully loaded, 106 collection recovering.
const RETRYABLE_CODES = new Set([1, 2, 4, 12, 103, 106]);
const RATE_LIMIT_CODE = 8;
const COLLECTION_NOT_FOUND_CODE = 100;
const COLLECTION_NOT_LOADED_CODE = 101;
// 1400 not authenticated, 1401 privilege not permitted.
const DENIED_CODES = new Set([1400, 1401]);
const RETRYABLE_LEGACY = new Set(['NotReadyServe', 'NotReadyCoordActivating', 'NoReplicaAvailable', 'DataCoordNA']);
// gRPC: 4 DEADLINE_EXCEEDED, 10 ABORTED, 14 UNAVAILABLE; 8 RESOURCE_EXHAUSTED; 7 PERMISSION_DENIED, 16 UNAUTHENTICATED.
const GRPC_UNREACHABLE = new Set([4, 10, 14]);
const GRPC_DENIED = new Set([7, 16]);
const UNREACHABLE_TEXT = /unavailable|deadline exceeded|econnrefused|econnreset|etimedout|no connection established/i;

/** A failed Milvus response status, kept as an error so retries and the store can sort it. */
export class MilvusStatusError extends Error {
  readonly kind: FailureKind;
  constructor(
    readonly what: string,
    readonly status: MilvusStatus,
  ) {
    super(`${what} failed: ${status.reason || `${String(status.error_code ?? '')} ${String(status.code ?? '')}`.trim()}`);
    this.name = 'MilvusStatusError';
    this.kind = statusKind(status);
  }
}

export function isOk(status: MilvusStatus | undefined): boolean {
  if (status === undefined) return true;
  const legacyOk = status.error_code === undefined || status.error_code === 'Success' || status.error_code === 0;
  return legacyOk && (status.code === undefined || Number(status.code) === 0);
}

export function statusKind(status: MilvusStatus): FailureKind {
  const code = Number(status.code ?? 0);
  const legacy = String(status.error_code ?? '');
  if (
    code === COLLECTION_NOT_FOUND_CODE ||
    legacy === 'CollectionNotExists' ||
    /collection not (found|exist)|can't find collection/i.test(status.reason ?? '')
  ) {
    return 'not-found';
  }
  if (code === COLLECTION_NOT_LOADED_CODE) return 'not-loaded';
  if (code === RATE_LIMIT_CODE || legacy === 'RateLimit') return 'rate-limited';
  if (DENIED_CODES.has(code) || legacy === 'PermissionDenied') return 'denied';
  if (RETRYABLE_CODES.has(code) || RETRYABLE_LEGACY.has(legacy) || status.retriable === true) return 'retryable';
  return 'failed';
}

/** Throws a MilvusStatusError when a response carries a failed status. */
export function checkStatus(status: MilvusStatus | undefined, what: string): void {
  if (!isOk(status)) throw new MilvusStatusError(what, status as MilvusStatus);
}

/** The kind of any thrown value: a status error, a gRPC error, or something else. */
export function failureKind(err: unknown): FailureKind {
  if (err instanceof MilvusStatusError) return err.kind;
  if (typeof err !== 'object' || err === null) return 'failed';
  // The SDK throws a whole failed response from some calls (upsert) and a plain
  // "ErrorCode: <name>. Reason: <text>" Error from others (loadCollection).
  const thrownStatus = (err as { status?: unknown }).status;
  if (typeof thrownStatus === 'object' && thrownStatus !== null && !isOk(thrownStatus as MilvusStatus)) {
    return statusKind(thrownStatus as MilvusStatus);
  }
  const legacy = /^ErrorCode: (\w+)\. Reason: (.*)$/s.exec(String((err as { message?: unknown }).message ?? ''));
  if (legacy !== null) return statusKind({ error_code: legacy[1], reason: legacy[2] });
  const code = (err as { code?: unknown }).code;
  const message = String((err as { message?: unknown }).message ?? '');
  if (typeof code === 'number') {
    if (GRPC_UNREACHABLE.has(code)) return 'unreachable';
    if (code === 8) return 'rate-limited';
    if (GRPC_DENIED.has(code)) return 'denied';
  }
  if (UNREACHABLE_TEXT.test(message)) return 'unreachable';
  if (/rate ?limit|too many requests/i.test(message)) return 'rate-limited';
  return 'failed';
}

/** Worth another try after a pause: the server is starting, busy or briefly gone. */
export function isRetryable(err: unknown): boolean {
  const kind = failureKind(err);
  return kind === 'retryable' || kind === 'rate-limited' || kind === 'unreachable';
}

function firstLine(err: unknown): string {
  if (err instanceof MilvusStatusError) return err.status.reason || err.message;
  const thrownStatus = (err as { status?: MilvusStatus } | null)?.status;
  if (typeof thrownStatus === 'object' && thrownStatus?.reason) return thrownStatus.reason;
  return err instanceof Error ? err.message.split('\n')[0] || err.name : String(err);
}

/** The typed error a user sees for a Milvus failure that retries did not cure. */
export function storeError(err: unknown, what: string, address: string): TeamKbError {
  if (err instanceof TeamKbError) return err;
  const said = firstLine(err);
  const kind = failureKind(err);
  const [code, message]: [ErrorCode, string] =
    kind === 'denied'
      ? [
          'PERMISSION_DENIED',
          `Milvus at ${address} refused to ${what}: the configured user lacks the privilege (${said}). Grant it, or check kb.milvus.token / username / database.`,
        ]
      : kind === 'rate-limited'
        ? [
            'RATE_LIMITED',
            `Milvus at ${address} is rate-limiting requests and still refused to ${what} after retries (${said}). Please try again shortly.`,
          ]
        : kind === 'unreachable' || kind === 'retryable'
          ? [
              'STORE_UNAVAILABLE',
              `Milvus at ${address} is not available to ${what} (${said}). Check that the server is running and healthy; TeamKB reconnects by itself.`,
            ]
          : ['STORE_FAILED', `Milvus at ${address} could not ${what}: ${said}.`];
  return new TeamKbError(code, message, { cause: err, details: { address, kind } });
}

export function isNotFound(err: unknown): boolean {
  return failureKind(err) === 'not-found';
}

/** DescribeIndex on a collection without indexes answers 700 / IndexNotExist. */
export function isIndexMissing(status: MilvusStatus | undefined): boolean {
  return status !== undefined && (Number(status.code ?? 0) === 700 || status.error_code === 'IndexNotExist');
}
