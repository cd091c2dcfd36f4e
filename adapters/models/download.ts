import { createHash, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, type WriteStream } from 'node:fs';
import { mkdir, rename, stat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { TeamKbError } from '../../core/errors.js';
import { type ModelLogger, silentLogger } from './logger.js';

export interface DownloadProgress {
  /** Destination file name, for display. */
  file: string;
  receivedBytes: number;
  totalBytes?: number;
}

export interface DownloadFileOptions {
  url: string;
  dest: string;
  /** Expected hash; null means the file cannot be verified (a warning is logged). */
  sha256: string | null;
  signal?: AbortSignal;
  onProgress?: (progress: DownloadProgress) => void;
  logger?: ModelLogger;
  /** Give up when no bytes arrive for this long (the partial file is kept for resuming). */
  idleTimeoutMs?: number;
}

export interface DownloadResult {
  path: string;
  sha256: string;
  /** True when the hash was checked against the expected one. */
  verified: boolean;
  /** True when the file was already in place and nothing was fetched. */
  alreadyPresent: boolean;
}

const NETWORK_REASONS: Record<string, string> = {
  ENOTFOUND: 'host not found: offline or DNS failure',
  EAI_AGAIN: 'DNS lookup failed: offline?',
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_SOCKET: 'connection closed by the server',
};

function downloadFailed(url: string, dest: string, reason: string, cause?: unknown): TeamKbError {
  return new TeamKbError(
    'MODEL_DOWNLOAD_FAILED',
    `Could not download ${url} (${reason}). Fetch it on a machine with internet access and save it as ${dest}, then start again.`,
    { cause, details: { url, dest } },
  );
}

function networkReason(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  const code = cause?.code ?? (err as { code?: string })?.code;
  if (code && NETWORK_REASONS[code]) return NETWORK_REASONS[code];
  return (cause?.message ?? (err as Error)?.message ?? String(err)).split('\n')[0] as string;
}

export async function sha256File(path: string, into: Hash = createHash('sha256')): Promise<Hash> {
  for await (const chunk of createReadStream(path)) into.update(chunk as Buffer);
  return into;
}

async function writeChunk(out: WriteStream, chunk: Uint8Array): Promise<void> {
  if (out.write(chunk)) return;
  await new Promise<void>((resolve, reject) => {
    out.once('drain', resolve);
    out.once('error', reject);
  });
}

async function closeStream(out: WriteStream): Promise<void> {
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
}

/** Total size from `Content-Range: bytes a-b/total` or Content-Length plus the resume offset. */
function totalBytes(res: Response, offset: number): number | undefined {
  const range = /\/(\d+)$/.exec(res.headers.get('content-range') ?? '');
  if (range) return Number(range[1]);
  const length = Number(res.headers.get('content-length'));
  return Number.isFinite(length) && length > 0 ? length + (res.status === 206 ? offset : 0) : undefined;
}

/**
 * Downloads one file to `dest`, resuming from `dest.part` when present, and checks its sha256.
 * Failures are MODEL_DOWNLOAD_FAILED errors saying which URL to fetch and where to put it.
 */
export async function downloadFile(options: DownloadFileOptions): Promise<DownloadResult> {
  const { url, dest, sha256, onProgress, signal } = options;
  const logger = options.logger ?? silentLogger;
  const file = dest.split(/[\\/]/).pop() ?? dest;
  if (existsSync(dest)) {
    const digest = (await sha256File(dest)).digest('hex');
    if (sha256 === null || digest === sha256)
      return { path: dest, sha256: digest, verified: sha256 !== null, alreadyPresent: true };
    logger.warn(`${dest} does not match its expected sha256; downloading it again`);
    await unlink(dest);
  }
  await mkdir(dirname(dest), { recursive: true });
  const part = `${dest}.part`;
  let offset = existsSync(part) ? (await stat(part)).size : 0;

  const idle = new AbortController();
  const idleTimeoutMs = options.idleTimeoutMs ?? 60_000;
  let idleTimer: NodeJS.Timeout | undefined;
  const touch = () => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => idle.abort(new Error(`no data for ${Math.round(idleTimeoutMs / 1000)} s`)), idleTimeoutMs);
  };
  const combined = signal ? AbortSignal.any([signal, idle.signal]) : idle.signal;
  const failure = (err: unknown): TeamKbError => {
    if (signal?.aborted) return new TeamKbError('CANCELLED', `Download of ${url} cancelled; the partial file ${part} is kept`);
    if (idle.signal.aborted) return downloadFailed(url, dest, `${(idle.signal.reason as Error).message}; partial file kept`, err);
    return downloadFailed(url, dest, networkReason(err), err);
  };

  touch();
  try {
    let res: Response;
    try {
      res = await fetch(url, { headers: offset > 0 ? { Range: `bytes=${offset}-` } : {}, signal: combined, redirect: 'follow' });
    } catch (err) {
      throw failure(err);
    }
    let hash = createHash('sha256');
    if (res.status === 416 && offset > 0) {
      await res.body?.cancel();
    } else {
      if (res.status !== 200 && res.status !== 206) {
        await res.body?.cancel();
        throw downloadFailed(url, dest, `server answered HTTP ${res.status}`);
      }
      if (res.status === 200) offset = 0;
      else await sha256File(part, hash);
      const total = totalBytes(res, offset);
      const out = createWriteStream(part, { flags: offset > 0 ? 'a' : 'w' });
      let received = offset;
      try {
        if (res.body) {
          for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
            touch();
            hash.update(chunk);
            await writeChunk(out, chunk);
            received += chunk.byteLength;
            onProgress?.({ file, receivedBytes: received, totalBytes: total });
          }
        }
      } catch (err) {
        throw failure(err);
      } finally {
        await closeStream(out);
      }
      if (total !== undefined && received < total)
        throw downloadFailed(url, dest, `connection ended after ${received} of ${total} bytes; partial file kept`);
    }
    if (res.status === 416) hash = await sha256File(part);
    const digest = hash.digest('hex');
    if (sha256 !== null && digest !== sha256) {
      await unlink(part);
      throw downloadFailed(url, dest, `sha256 mismatch: expected ${sha256}, got ${digest}; the bad file was removed`);
    }
    if (sha256 === null)
      logger.warn(`Cannot verify ${dest}: the catalog has no sha256 for it (downloaded file hashes to ${digest})`);
    await rename(part, dest);
    return { path: dest, sha256: digest, verified: sha256 !== null, alreadyPresent: false };
  } finally {
    clearTimeout(idleTimer);
  }
}
