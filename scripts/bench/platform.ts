import { run as discord } from './discord.js';
import { run as feishu } from './feishu.js';
import type { BenchFn, BenchReport } from './harness.js';
import { run as slack } from './slack.js';

/** Ack latency of every platform adapter against its loopback double, one table. */
export const run: BenchFn = async (opts) => {
  const reports: BenchReport[] = [];
  for (const bench of [slack, discord, feishu]) reports.push(await bench(opts));
  return {
    name: 'platform',
    rows: reports.flatMap((r) => r.rows.map((row) => ({ ...row, name: `${r.name}: ${row.name}` }))),
    notes: reports.flatMap((r) => r.notes.map((n) => `${r.name}: ${n}`)),
    extra: Object.fromEntries(reports.map((r) => [r.name, r.extra ?? {}])),
  };
};
