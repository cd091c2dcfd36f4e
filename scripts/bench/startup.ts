import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_ROOT } from './_kb-fixture.js';
import type { BenchFn, BenchReport, BenchRow } from './harness.js';

/**
 * Start-up cost as a user meets it: the CLI's quick commands and `npm start` to a ready /healthz,
 * with the resident memory of every process involved — the built JavaScript next to the previous
 * way of running (tsx transpiling the sources at every start) and next to `node -e 1`.
 */

const GNU_TIME = '/usr/bin/time';
const BGE = join(BENCH_ROOT, '..', 'shared', 'fixtures', 'models', 'bge-small-zh-v1.5');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Wall seconds and peak RSS (MiB, when GNU time is installed) of one command, median of `runs`. */
function timeCommand(cmd: string[], env: NodeJS.ProcessEnv, runs: number): { seconds: number; rssMiB: number } {
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

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** The process and all its descendants with their resident memory (Linux /proc). */
function processTree(root: number): Array<{ pid: number; name: string; rssMiB: number }> {
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

interface ServerRun {
  readySeconds: number;
  rssMiB: number;
  processes: Array<{ name: string; rssMiB: number }>;
  exitSeconds: number;
}

/** Starts the server with `cmd`, waits for /healthz, lets it idle, then SIGTERMs the launcher. */
async function serverRun(cmd: string[], env: NodeJS.ProcessEnv): Promise<ServerRun> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'teamkb-startup-'));
  const child: ChildProcess = spawn(cmd[0] as string, cmd.slice(1), {
    cwd: BENCH_ROOT,
    env: { ...env, TEAMKB_PORT: String(port), TEAMKB_DATA_DIR: dataDir },
    stdio: 'ignore',
  });
  const started = performance.now();
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${cmd.join(' ')} exited with ${child.exitCode}`);
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.status < 500,
        () => false,
      );
      if (ok) break;
      if (performance.now() - started > 120_000) throw new Error(`${cmd.join(' ')}: not ready after 120 s`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const readySeconds = (performance.now() - started) / 1000;
    await new Promise((r) => setTimeout(r, 3000));
    const tree = processTree(child.pid as number);
    const stopping = performance.now();
    const pids = tree.map((p) => p.pid);
    child.kill('SIGTERM');
    // The figure that matters: every process of the tree gone, not only the launcher.
    while (pids.some((pid) => existsSync(`/proc/${pid}`)) && performance.now() - stopping < 15_000) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const exitSeconds = (performance.now() - stopping) / 1000;
    for (const pid of pids) if (existsSync(`/proc/${pid}`)) process.kill(pid, 'SIGKILL');
    return {
      readySeconds,
      rssMiB: tree.reduce((sum, p) => sum + p.rssMiB, 0),
      processes: tree.map(({ name, rssMiB }) => ({ name, rssMiB: Math.round(rssMiB) })),
      exitSeconds,
    };
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export const run: BenchFn = async ({ quick }): Promise<BenchReport> => {
  const report: BenchReport = { name: 'startup', rows: [], notes: [], extra: {} };
  const runs = quick ? 3 : 5;
  const dataDir = mkdtempSync(join(tmpdir(), 'teamkb-startup-cli-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TEAMKB_DATA_DIR: dataDir,
    TEAMKB_EMBEDDER: 'none',
    TEAMKB_LLM: 'none',
    TEAMKB_PULL: 'never',
    TEAMKB_LOG_LEVEL: 'warn',
  };
  const node = process.execPath;
  spawnSync(node, ['scripts/build.mjs'], { cwd: BENCH_ROOT, stdio: 'ignore' });

  const floor = timeCommand([node, '-e', '1'], env, runs);
  const npmFloor = timeCommand(['npm', '--version'], env, runs);
  const rows: BenchRow[] = [];
  for (const [label, args, target] of [
    ['kb --help', ['--help'], 0.3],
    ['kb list', ['list'], 0.6],
  ] as const) {
    const built = timeCommand([node, 'scripts/launch.mjs', 'kb', ...args], env, runs);
    const before = timeCommand([node, '--import', 'tsx', 'scripts/kb.ts', ...args], env, runs);
    const viaNpm = timeCommand(['npm', 'run', '-s', 'kb', '--', ...args], env, quick ? 1 : 3);
    rows.push(
      {
        name: `${label}: built JS`,
        value: built.seconds,
        unit: 's',
        baseline: before.seconds,
        baselineName: 'tsx',
        target: `<= ${target} s`,
        met: built.seconds <= target,
      },
      { name: `${label}: built JS, peak RSS`, value: built.rssMiB, unit: 'MiB', baseline: before.rssMiB, baselineName: 'tsx' },
      {
        name: `${label}: through npm run`,
        value: viaNpm.seconds,
        unit: 's',
        baseline: npmFloor.seconds,
        baselineName: 'npm --version',
      },
    );
  }
  rmSync(dataDir, { recursive: true, force: true });

  const noModels = { ...env, TEAMKB_LOG_LEVEL: 'info' };
  const server = await serverRun(['npm', 'start'], noModels);
  const previous = await serverRun([node, 'node_modules/.bin/tsx', 'bots/main.ts'], noModels);
  rows.push(
    {
      name: 'npm start → /healthz ready, no models',
      value: server.readySeconds,
      unit: 's',
      baseline: previous.readySeconds,
      baselineName: 'tsx bots/main.ts',
      target: '<= 2 s',
      met: server.readySeconds <= 2,
    },
    {
      name: 'idle RSS, all processes, no models',
      value: server.rssMiB,
      unit: 'MiB',
      baseline: previous.rssMiB,
      baselineName: 'tsx bots/main.ts',
      target: '<= 200 MiB (goal 150)',
      met: server.rssMiB <= 200,
    },
    {
      name: 'SIGTERM to npm → every process gone',
      value: server.exitSeconds,
      unit: 's',
      target: '<= 5 s',
      met: server.exitSeconds <= 5,
    },
  );
  (report.extra as Record<string, unknown>).processesNoModels = server.processes;
  (report.extra as Record<string, unknown>).processesPrevious = previous.processes;

  if (existsSync(BGE)) {
    const withEmbedder = await serverRun(['npm', 'start'], { ...noModels, TEAMKB_EMBEDDER: `transformers:${BGE}` });
    rows.push(
      {
        name: 'npm start → ready, bge-small embedder',
        value: withEmbedder.readySeconds,
        unit: 's',
        target: '<= 4 s',
        met: withEmbedder.readySeconds <= 4,
      },
      {
        name: 'idle RSS, all processes, bge-small embedder',
        value: withEmbedder.rssMiB,
        unit: 'MiB',
        target: '<= 350 MiB',
        met: withEmbedder.rssMiB <= 350,
      },
    );
    (report.extra as Record<string, unknown>).processesEmbedder = withEmbedder.processes;
  } else {
    report.notes.push(`bge-small-zh not found at ${BGE}: the embedder rows are skipped`);
  }
  report.rows.push(...rows);
  report.notes.push(
    `floor: node -e 1 takes ${floor.seconds.toFixed(2)} s and ${floor.rssMiB.toFixed(0)} MiB; npm's own launcher ${npmFloor.seconds.toFixed(2)} s (included in "through npm run")`,
    `server processes (no models): ${server.processes.map((p) => `${p.name} ${p.rssMiB} MiB`).join('; ')}`,
    `previous way: ${previous.processes.map((p) => `${p.name} ${p.rssMiB} MiB`).join('; ')}`,
    'each CLI figure is the median of several runs on this machine; the server figures are one start each',
  );
  return report;
};
