// `npm run screenshots`: runs the web console's browser test (which photographs the main screens
// as it goes) and copies the pictures into docs/screenshots for the README.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const from = join(tmpdir(), 'teamkb-screenshots');
const to = join(root, 'docs', 'screenshots');
const run = spawnSync('npx', ['vitest', 'run', 'tests/e2e/web-console.test.ts'], { cwd: root, stdio: 'inherit' });
if (run.status !== 0) process.exit(run.status ?? 1);
mkdirSync(to, { recursive: true });
const shots = readdirSync(from).filter((f) => f.endsWith('.png'));
for (const file of shots) copyFileSync(join(from, file), join(to, file));
console.log(`${shots.length} screenshots in docs/screenshots: ${shots.join(', ')}`);
