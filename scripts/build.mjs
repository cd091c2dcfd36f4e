// Builds the server and the CLI into dist/ so that `npm start` and `npm run kb` run plain JavaScript:
// no transpiler in memory at run time. Tests keep running the TypeScript sources directly.
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = join(ROOT, 'dist');
const SOURCE_DIRS = ['core', 'adapters', 'bots', 'scripts'];

/** Entry points: name in dist/ → source. Worker entries must be listed here to exist in the build. */
export const ENTRIES = {
  main: 'bots/main.ts',
  kb: 'scripts/kb.ts',
  // Loaders run in worker threads; the pool looks for this file beside the bundle.
  'parse-worker': 'core/loaders/pool/worker-entry.ts',
  // The PostgreSQL state store's connection thread.
  'pg-worker': 'adapters/registry/pg-worker-entry.ts',
};

export async function buildApp() {
  const { build } = await import('esbuild');
  await build({
    absWorkingDir: ROOT,
    entryPoints: ENTRIES,
    outdir: DIST,
    bundle: true,
    // Dynamic import() stays lazy: each lazily loaded part becomes its own chunk.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
  });
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** True when dist/ is missing or older than any TypeScript source (e.g. after `git pull`). */
export function buildIsStale() {
  let built;
  try {
    built = Math.min(...Object.keys(ENTRIES).map((name) => statSync(join(DIST, `${name}.js`)).mtimeMs));
  } catch {
    return true;
  }
  return SOURCE_DIRS.some((dir) => newestMtime(join(ROOT, dir)) > built);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = Date.now();
  await buildApp();
  console.log(`built dist/ in ${Date.now() - started} ms`);
}
