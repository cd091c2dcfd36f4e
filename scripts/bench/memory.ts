import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BENCH_ROOT } from './_kb-fixture.js';
import type { BenchFn, BenchReport } from './harness.js';

const run$ = promisify(execFile);

/** Runs one phase of _memory-phase.ts in a fresh Node process and returns its JSON line. */
async function phase(...args: string[]): Promise<Record<string, number | string>> {
  const script = join(BENCH_ROOT, 'scripts/bench/_memory-phase.ts');
  const { stdout } = await run$(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: BENCH_ROOT,
    maxBuffer: 16 * 2 ** 20,
    timeout: 9 * 60_000,
  });
  const line = stdout.trim().split('\n').at(-1) ?? '{}';
  return JSON.parse(line) as Record<string, number | string>;
}

const num = (v: number | string | undefined): number => (typeof v === 'number' ? v : Number.NaN);

/** Resident memory: idle, with many chunks in the embedded store, and at peak while ingesting. */
export const run: BenchFn = async ({ quick }): Promise<BenchReport> => {
  const report: BenchReport = { name: 'memory', rows: [], notes: [] };
  const size = quick ? 10_000 : 100_000;
  const bare = await phase('bare');
  const idle = await phase('idle');
  const store = await phase('store', String(size));
  const ingest = await phase('ingest', quick ? 'fake' : 'real');
  report.rows.push(
    {
      name: 'idle (store + pipeline loaded)',
      value: num(idle.rss),
      unit: 'MiB RSS',
      baseline: num(bare.rss),
      baselineName: 'bare node + tsx',
    },
    { name: `store: after loading ${size} chunks (dim 512)`, value: num(store.afterLoad), unit: 'MiB RSS' },
    { name: 'store: after 20 hybrid searches', value: num(store.afterSearch), unit: 'MiB RSS' },
    { name: 'store: peak while loading', value: num(store.peak), unit: 'MiB RSS' },
    { name: `ingest sample KB (${ingest.embedder}): peak`, value: num(ingest.peak), unit: 'MiB RSS' },
    { name: `ingest sample KB (${ingest.embedder}): after`, value: num(ingest.after), unit: 'MiB RSS' },
  );
  report.notes.push(
    `each figure from a fresh Node process; peak = the process's maximum resident set (getrusage)`,
    `${size} synthetic chunks loaded in batches of 5000 in ${num(store.loadSeconds).toFixed(1)} s; raw vectors alone are ${((size * 512 * 4) / 2 ** 20).toFixed(0)} MiB`,
    `ingest: ${ingest.chunks} chunks in ${num(ingest.seconds).toFixed(1)} s with ${ingest.embedder}`,
  );
  return report;
};
