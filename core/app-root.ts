import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project folder (the one holding package.json): files shipped beside the code (web assets,
 * the model catalog, sample documents) are found from here, whether this module runs from its
 * TypeScript source or from the bundle in dist/, whose layout differs.
 */
function findAppRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) return from;
    dir = parent;
  }
  return dir;
}

export const APP_ROOT = findAppRoot(dirname(fileURLToPath(import.meta.url)));
