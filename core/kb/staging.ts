import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

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
