import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Reference material lives beside the project, not in it: ../shared/fixtures. */
export const SHARED_FIXTURES = process.env.TEAMKB_SHARED_FIXTURES ?? resolve(ROOT, '../shared/fixtures');

/** Path inside ../shared/fixtures, or undefined (with a visible notice) when absent. */
export function sharedFixture(relative: string, why: string): string | undefined {
  const path = join(SHARED_FIXTURES, relative);
  if (existsSync(path)) return path;
  console.warn(`[notice] skipping ${why}: ${path} not found (reference fixtures are optional)`);
  return undefined;
}
