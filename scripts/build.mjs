// Builds the server and the CLI into dist/ so that `npm start` and `npm run kb` run plain JavaScript:
// no transpiler in memory at run time. Tests keep running the TypeScript sources directly.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = join(ROOT, 'dist');
/** The source files the last build read, so that the staleness check stats those and walks no folder. */
const SOURCES = join(DIST, 'sources.json');

/** Entry points: name in dist/ → source. Worker entries must be listed here to exist in the build. */
export const ENTRIES = {
  main: 'bots/main.ts',
  kb: 'scripts/kb.ts',
  // Loaders run in worker threads; the pool looks for this file beside the bundle.
  'parse-worker': 'core/loaders/pool/worker-entry.ts',
  // The PostgreSQL state store's connection thread.
  'pg-worker': 'adapters/registry/pg-worker-entry.ts',
  // The first start's sample ingest runs as a child process of the server.
  'sample-seed': 'bots/sample-seed-entry.ts',
};

export async function buildApp() {
  const { build } = await import('esbuild');
  const result = await build({
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
    metafile: true,
    logLevel: 'warning',
  });
  const sources = Object.keys(result.metafile.inputs).filter((path) => !path.includes('node_modules/'));
  writeFileSync(SOURCES, `${JSON.stringify(sources.sort(), null, 1)}\n`);
}

/**
 * True when dist/ is missing or older than a source file it was built from (e.g. after `git pull`),
 * or one of those files is gone. A file that no built file imports cannot change the build until an
 * imported one changes to import it, so the files the build read are the ones to check.
 */
export function buildIsStale() {
  try {
    const built = Math.min(...Object.keys(ENTRIES).map((name) => statSync(join(DIST, `${name}.js`)).mtimeMs));
    const sources = JSON.parse(readFileSync(SOURCES, 'utf8'));
    return sources.some((path) => statSync(join(ROOT, path)).mtimeMs > built);
  } catch {
    return true;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = Date.now();
  await buildApp();
  console.log(`built dist/ in ${Date.now() - started} ms`);
}
