import type { FileRef } from '../../core/chat.js';
import { TeamKbError } from '../../core/errors.js';
import { readWithinLimit } from '../shared/limited-download.js';

/** The fields of a Discord attachment the adapter needs (message attachments and resolved command attachments alike). */
export interface DiscordAttachmentInfo {
  name: string;
  url: string;
  size?: number;
  contentType?: string | null;
}

/** A FileRef that downloads the attachment from Discord's CDN (signed URL, no token) and stops past `maxBytes`. */
export function attachmentFileRef(a: DiscordAttachmentInfo, maxBytes: number): FileRef {
  return {
    name: a.name,
    size: a.size,
    mimeType: a.contentType ?? undefined,
    fetch: (signal?: AbortSignal) => downloadAttachment(a, maxBytes, signal),
  };
}

async function downloadAttachment(a: DiscordAttachmentInfo, maxBytes: number, signal?: AbortSignal): Promise<Buffer> {
  if (a.size !== undefined && a.size > maxBytes) throw tooLarge(a.name, a.size, maxBytes);
  let res: Response;
  try {
    res = await fetch(a.url, { signal });
  } catch (err) {
    if (signal?.aborted) throw new TeamKbError('CANCELLED', `Download of ${a.name} was cancelled.`, { cause: err });
    throw new TeamKbError('FILE_NOT_FOUND', `Could not download ${a.name} from Discord.`, { cause: err });
  }
  if (!res.ok || !res.body) {
    throw new TeamKbError('FILE_NOT_FOUND', `Could not download ${a.name} from Discord (HTTP ${res.status}).`);
  }
  const declared = Number(res.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) {
    await res.body.cancel();
    throw tooLarge(a.name, declared, maxBytes);
  }
  return readWithinLimit(res.body, maxBytes, (total) => tooLarge(a.name, total, maxBytes));
}

function tooLarge(name: string, size: number, maxBytes: number): TeamKbError {
  return new TeamKbError(
    'FILE_TOO_LARGE',
    `${name} is larger than the ${formatBytes(maxBytes)} limit (at least ${formatBytes(size)}).`,
    {
      details: { file: name, size, maxBytes },
    },
  );
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
