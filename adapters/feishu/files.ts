import type { FileRef } from '../../core/chat.js';
import { TeamKbError } from '../../core/errors.js';
import { readWithinLimit } from '../shared/limited-download.js';
import type { FeishuApi } from './api.js';
import type { ResourceKey } from './types.js';

const IMAGE_EXTENSIONS: Record<string, string> = {
  'image/png': '.png',
  'image/jpeg': '.jpg',
  'image/gif': '.gif',
  'image/webp': '.webp',
  'image/bmp': '.bmp',
  'image/tiff': '.tiff',
};

function tooLarge(name: string, maxBytes: number): TeamKbError {
  const mb = Math.round((maxBytes / (1024 * 1024)) * 10) / 10;
  return new TeamKbError('FILE_TOO_LARGE', `File "${name}" is larger than the ${mb} MB limit.`, { details: { maxBytes } });
}

/**
 * An attachment downloaded on demand with the bot's tenant token. The byte count is checked
 * against the limit while streaming, so an oversized file stops downloading at the limit.
 */
export function resourceFileRef(api: FeishuApi, messageId: string, resource: ResourceKey, maxBytes: number): FileRef {
  const ref: FileRef = {
    name: resource.name,
    async fetch(signal?: AbortSignal): Promise<Buffer> {
      if (signal?.aborted) throw new TeamKbError('CANCELLED', `Download of "${ref.name}" was cancelled.`);
      let download: Awaited<ReturnType<FeishuApi['openResource']>>;
      try {
        download = await api.openResource(messageId, resource.key, resource.type);
      } catch (cause) {
        throw new TeamKbError('FILE_NOT_FOUND', `Could not download "${ref.name}" from Feishu.`, { cause });
      }
      const { stream, headers } = download;
      const declared = Number(headers['content-length']);
      if (Number.isFinite(declared) && declared > maxBytes) {
        stream.destroy();
        throw tooLarge(ref.name, maxBytes);
      }
      const type =
        String(headers['content-type'] ?? '')
          .split(';')[0]
          ?.trim() ?? '';
      if (type) ref.mimeType = type;
      const extension = IMAGE_EXTENSIONS[type];
      if (resource.type === 'image' && extension) ref.name = ref.name.replace(/\.png$/, extension);
      const abort = () => stream.destroy(new TeamKbError('CANCELLED', `Download of "${ref.name}" was cancelled.`));
      signal?.addEventListener('abort', abort, { once: true });
      try {
        const bytes = await readWithinLimit(stream, maxBytes, () => tooLarge(ref.name, maxBytes));
        ref.size = bytes.length;
        return bytes;
      } finally {
        signal?.removeEventListener('abort', abort);
      }
    },
  };
  return ref;
}
