import { mkdirSync, writeFileSync } from 'node:fs';
import { arch, cpus, platform, totalmem } from 'node:os';
import { join } from 'node:path';

export interface BenchOptions {
  /** Smaller sizes so the run fits a quick check (`--quick`). */
  quick: boolean;
  args: string[];
}

/** One row of a result table: a measured figure beside its baseline from the same run. */
export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  baseline?: number;
  baselineName?: string;
  /** Target the figure must meet, as text (e.g. "p95 <= 10 ms"). */
  target?: string;
  met?: boolean;
}

export interface BenchReport {
  name: string;
  rows: BenchRow[];
  notes: string[];
  /** Anything else worth keeping in the JSON. */
  extra?: Record<string, unknown>;
}

export type BenchFn = (opts: BenchOptions) => Promise<BenchReport>;

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] as number;
}

export function machine(): Record<string, unknown> {
  return {
    node: process.version,
    platform: `${platform()}-${arch()}`,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
  };
}

function fmt(n: number | undefined): string {
  if (n === undefined || Number.isNaN(n)) return '';
  if (Math.abs(n) >= 100) return n.toFixed(0);
  if (Math.abs(n) >= 1) return n.toFixed(2);
  return n.toPrecision(3);
}

export function printReport(report: BenchReport): void {
  const header = ['figure', 'value', 'unit', 'baseline', 'ratio', 'target', 'met'];
  const lines = report.rows.map((r) => [
    r.name,
    fmt(r.value),
    r.unit,
    r.baseline === undefined ? '' : `${fmt(r.baseline)} (${r.baselineName ?? 'baseline'})`,
    r.baseline ? `${fmt(r.value / r.baseline)}x` : '',
    r.target ?? '',
    r.met === undefined ? '' : r.met ? 'yes' : 'NO',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] as string).length)));
  const row = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] as number)).join('  ');
  console.log(`\n## bench ${report.name}`);
  console.log(row(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const l of lines) console.log(row(l));
  for (const note of report.notes) console.log(`- ${note}`);
}

export function writeReport(report: BenchReport, dir = 'bench/results'): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${report.name}.json`);
  writeFileSync(path, `${JSON.stringify({ ...report, machine: machine(), at: new Date().toISOString() }, null, 2)}\n`);
  return path;
}
