import { join, resolve } from 'node:path';

/** Where one KB's source files live: the originals (content) and uploads waiting to be ingested (staging). */
export interface KbFolder {
  /** Removed whole when the KB is deleted. */
  root: string;
  content: string;
  staging: string;
}

/**
 * The folder holding every KB's sources: basic.filesDir (TEAMKB_FILES_DIR) when set, else
 * <dataDir>/kbs, where sources always lived, so installs without the setting keep their files.
 * Kept apart from dataDir so replicas can share just the sources on one volume.
 */
export function filesDirOf(basic: { dataDir: string; filesDir?: string }): string {
  return resolve(basic.filesDir ?? join(basic.dataDir, 'kbs'));
}

/** The one place a KB's source folders are named; downloads, uploads, workers and deletion all ask here. */
export function kbFolder(filesDir: string, kb: string): KbFolder {
  const root = join(filesDir, kb);
  return { root, content: join(root, 'content'), staging: join(root, 'staging') };
}
