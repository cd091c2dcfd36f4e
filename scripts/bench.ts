import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BenchFn, printReport, writeReport } from './bench/harness.js';

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(join(here, 'bench'))
  .filter((f) => f.endsWith('.ts') && f !== 'harness.ts' && !f.startsWith('_'))
  .map((f) => f.replace(/\.ts$/, ''))
  .sort();

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const quick = argv.includes('--quick');
  const names = argv.filter((a) => !a.startsWith('--'));
  const selected = names.length > 0 ? names.filter((n) => available.includes(n)) : available;
  const unknown = names.filter((n) => !available.includes(n));
  if (unknown.length > 0) {
    console.error(`Unknown benchmark: ${unknown.join(', ')}. Available: ${available.join(', ')}`);
    process.exitCode = 2;
    return;
  }
  for (const name of selected) {
    const mod = (await import(join(here, 'bench', `${name}.ts`))) as { run: BenchFn };
    const report = await mod.run({ quick, args: argv });
    printReport(report);
    console.log(`(written to ${writeReport(report)})`);
  }
}

await main();
