import type { FileRef } from '../../core/chat.js';
import { TeamKbError } from '../../core/errors.js';
import { readWithinLimit } from '../shared/limited-download.js';

/** The fields of a Slack file object the adapter uses. */
export interface SlackFile {
  id?: string;
  name?: string;
  title?: string;
  size?: number;
  mimetype?: string;
  url_private?: string;
  url_private_download?: string;
}

export interface FileDownloadDeps {
  botToken: string;
  maxBytes: number;
  /** Maps a payload URL to the URL to fetch, or undefined when it is not a Slack host. */
  resolveUrl: (url: string) => string | undefined;
  /** files.info, for payloads that carry only the file id (`file_access: check_file_info`). */
  fileInfo?: (id: string) => Promise<SlackFile | undefined>;
}

export function slackFileRefs(files: unknown, deps: FileDownloadDeps): FileRef[] {
  if (!Array.isArray(files)) return [];
  return files.filter(isRecord).map((file) => slackFileRef(file as SlackFile, deps));
}

export function slackFileRef(file: SlackFile, deps: FileDownloadDeps): FileRef {
  const name = file.name || file.title || file.id || 'file';
  return {
    name,
    size: typeof file.size === 'number' ? file.size : undefined,
    mimeType: file.mimetype,
    fetch: (signal) => downloadSlackFile(file, name, deps, signal),
  };
}

async function downloadSlackFile(file: SlackFile, name: string, deps: FileDownloadDeps, signal?: AbortSignal): Promise<Buffer> {
  if (typeof file.size === 'number' && file.size > deps.maxBytes) throw tooLarge(name, deps.maxBytes);
  let source = file.url_private_download ?? file.url_private;
  if (!source && file.id && deps.fileInfo) {
    const info = await deps.fileInfo(file.id);
    source = info?.url_private_download ?? info?.url_private;
  }
  const url = source ? deps.resolveUrl(source) : undefined;
  if (!url) throw new TeamKbError('FETCH_FORBIDDEN', `Slack file "${name}" has no downloadable Slack URL.`);
  const res = await fetch(url, { headers: { authorization: `Bearer ${deps.botToken}` }, signal });
  if (!res.ok) {
    await res.body?.cancel();
    const code = res.status === 404 ? 'FILE_NOT_FOUND' : 'FETCH_FORBIDDEN';
    throw new TeamKbError(code, `Slack refused the download of "${name}" (HTTP ${res.status}); the bot needs files:read.`);
  }
  const type = res.headers.get('content-type') ?? '';
  if (type.includes('text/html') && !(file.mimetype ?? '').includes('html')) {
    await res.body?.cancel();
    // Slack answers a download without a valid token with its sign-in page, status 200.
    throw new TeamKbError(
      'FETCH_FORBIDDEN',
      `Slack sent a sign-in page instead of "${name}"; check the bot token and files:read.`,
    );
  }
  if (Number(res.headers.get('content-length') ?? 0) > deps.maxBytes) {
    await res.body?.cancel();
    throw tooLarge(name, deps.maxBytes);
  }
  if (!res.body) return Buffer.alloc(0);
  return readWithinLimit(res.body, deps.maxBytes, () => tooLarge(name, deps.maxBytes));
}

function tooLarge(name: string, maxBytes: number): TeamKbError {
  const mb = Math.round((maxBytes / 1024 / 1024) * 10) / 10;
  return new TeamKbError('FILE_TOO_LARGE', `File "${name}" is larger than the ${mb} MB limit (SLACK_MAX_FILE_BYTES).`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object';
}
