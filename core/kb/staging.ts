import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { IngestInput } from '../ingest/types.js';
import type { UploadedFile } from '../kb-service.js';
import { safeFileName } from './names.js';

/** Staged uploads older than this belong to a process that stopped before ingesting them. */
const ABANDONED_UPLOAD_MS = 24 * 60 * 60 * 1000;

/** Removes uploads a crashed or killed process left in the staging folder. */
export async function removeAbandonedUploads(staging: string): Promise<void> {
  const now = Date.now();
  for (const name of await readdir(staging).catch(() => [] as string[])) {
    const path = join(staging, name);
    const info = await stat(path).catch(() => undefined);
    if (info && now - info.mtimeMs > ABANDONED_UPLOAD_MS) await rm(path, { force: true });
  }
}

/**
 * Writes each upload to its own file in the KB's staging folder (in the files folder, which every
 * replica shares) and returns them as pipeline inputs bound for the content folder.
 */
export async function stageUploads(staging: string, contentDir: string, files: UploadedFile[]): Promise<IngestInput[]> {
  await mkdir(staging, { recursive: true });
  await removeAbandonedUploads(staging);
  const inputs: IngestInput[] = [];
  try {
    for (const file of files) {
      const name = safeFileName(file.name);
      const path = join(contentDir, name);
      await mkdir(dirname(path), { recursive: true });
      const stagedPath = join(staging, `${randomUUID()}.upload`);
      inputs.push({ name, path, size: file.bytes.length, stagedPath });
      await writeFile(stagedPath, file.bytes);
    }
  } catch (err) {
    for (const input of inputs) await rm(input.stagedPath!, { force: true });
    throw err;
  }
  return inputs;
}
