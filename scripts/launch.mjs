// `node scripts/launch.mjs <entry> [args…]`: runs dist/<entry>.js, rebuilding it first only when a
// source file is newer (a `git pull` without `npm install`). One node process, no transpiler.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildApp, buildIsStale, DIST, ENTRIES } from './build.mjs';

const entry = process.argv[2];
if (!entry || !(entry in ENTRIES)) {
  console.error(`usage: node scripts/launch.mjs <${Object.keys(ENTRIES).join('|')}> [args…]`);
  process.exit(2);
}
// The entry sees the same argv as if it had been started directly.
process.argv.splice(1, 2, join(DIST, `${entry}.js`));
process.setSourceMapsEnabled(true);
if (buildIsStale()) {
  console.error('Sources changed since the last build: rebuilding dist/ …');
  await buildApp();
}
await import(pathToFileURL(join(DIST, `${entry}.js`)).href);
