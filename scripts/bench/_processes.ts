import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { BENCH_ROOT } from './_kb-fixture.js';

/** Process-level probes for the start-up bench: wall time and peak RSS of a command, a process tree's RSS. */

const GNU_TIME = '/usr/bin/time';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Wall seconds and peak RSS (MiB, when GNU time is installed) of one command, median of `runs`. */
export function timeCommand(cmd: string[], env: NodeJS.ProcessEnv, runs: number): { seconds: number; rssMiB: number } {
  const seconds: number[] = [];
  const rss: number[] = [];
  const useTime = existsSync(GNU_TIME);
  for (let i = 0; i < runs; i++) {
    const argv = useTime ? [GNU_TIME, '-f', '%M', ...cmd] : cmd;
    const started = performance.now();
    const res = spawnSync(argv[0] as string, argv.slice(1), { cwd: BENCH_ROOT, env, encoding: 'utf8' });
    seconds.push((performance.now() - started) / 1000);
    if (res.status !== 0) throw new Error(`${cmd.join(' ')} failed: ${res.stderr}`);
    const kb = Number(res.stderr.trim().split('\n').at(-1));
    if (useTime && Number.isFinite(kb)) rss.push(kb / 1024);
  }
  return { seconds: median(seconds), rssMiB: rss.length ? median(rss) : Number.NaN };
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** The process and all its descendants with their resident memory (Linux /proc). */
export function processTree(root: number): Array<{ pid: number; name: string; rssMiB: number }> {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(Number(entry), ppid);
    } catch {
      // the process ended while we looked
    }
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) for (const [pid, ppid] of parents) if (ppid === tree[i]) tree.push(pid);
  return tree.flatMap((pid) => {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const rss = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).slice(0, 3).join(' ');
      return [{ pid, name: cmd.slice(0, 80), rssMiB: rss }];
    } catch {
      return [];
    }
  });
}
