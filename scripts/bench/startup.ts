import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_ROOT } from './_kb-fixture.js';
import { freePort, processTree, timeCommand } from './_processes.js';
import type { BenchFn, BenchReport, BenchRow } from './harness.js';

/**
 * Start-up cost as a user meets it: the CLI's quick commands and `npm start` to a ready /healthz,
 * with the resident memory of every process involved — the built JavaScript next to the previous
 * way of running (tsx transpiling the sources at every start) and next to `node -e 1`.
 */

const BGE = join(BENCH_ROOT, '..', 'shared', 'fixtures', 'models', 'bge-small-zh-v1.5');

interface ServerRun {
  readySeconds: number;
  /** Seconds from start until the first start's sample-KB ingest finished (NaN when none ran). */
  ingestSeconds: number;
  /** All processes right after that ingest, parse workers still alive. */
  busyRssMiB: number;
  /** Highest RSS of all processes seen while waiting for that ingest (sampled every 100 ms), any ingest process included. */
  peakRssMiB: number;
  /** All processes once idle (past the parse workers' idle period). */
  rssMiB: number;
  processes: Array<{ name: string; rssMiB: number }>;
  exitSeconds: number;
}

/** The pool ends idle parse workers after 10 s; idle is measured past that. */
const IDLE_SETTLE_MS = 13_000;

async function jobsOf(port: number, query = ''): Promise<unknown[] | undefined> {
  const res = await fetch(`http://127.0.0.1:${port}/api/jobs${query}`).catch(() => undefined);
  if (!res?.ok) return undefined;
  return ((await res.json()) as { jobs: unknown[] }).jobs;
}

const treeRss = (tree: Array<{ rssMiB: number }>) => tree.reduce((sum, p) => sum + p.rssMiB, 0);

/**
 * Starts the server with `cmd`, waits for /healthz, then (on a first start) for the sample-KB
 * ingest to finish, lets it idle, then SIGTERMs the launcher. `dataDir` persists across calls when given.
 */
async function serverRun(
  cmd: string[],
  env: NodeJS.ProcessEnv,
  { dataDir, firstStart = true }: { dataDir?: string; firstStart?: boolean } = {},
): Promise<ServerRun> {
  const port = await freePort();
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'teamkb-startup-'));
  const child: ChildProcess = spawn(cmd[0] as string, cmd.slice(1), {
    cwd: BENCH_ROOT,
    env: { ...env, TEAMKB_PORT: String(port), TEAMKB_DATA_DIR: dir },
    stdio: 'ignore',
  });
  const started = performance.now();
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${cmd.join(' ')} exited with ${child.exitCode}`);
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.status < 500,
        () => false,
      );
      if (ok) break;
      if (performance.now() - started > 120_000) throw new Error(`${cmd.join(' ')}: not ready after 120 s`);
      await pause(20);
    }
    const readySeconds = (performance.now() - started) / 1000;
    // A first start queues the sample KB just after /healthz answers: wait until a job was seen and none is unfinished.
    let ingestSeconds = Number.NaN;
    let busyRssMiB = Number.NaN;
    let peakRssMiB = Number.NaN;
    if (firstStart) {
      const deadline = performance.now() + 120_000;
      let seen = false;
      peakRssMiB = 0;
      while (performance.now() < deadline) {
        peakRssMiB = Math.max(peakRssMiB, treeRss(processTree(child.pid as number)));
        seen ||= ((await jobsOf(port)) ?? []).length > 0;
        if (seen && (await jobsOf(port, '?status=unfinished'))?.length === 0) break;
        await pause(100);
      }
      if (seen) {
        ingestSeconds = (performance.now() - started) / 1000;
        busyRssMiB = treeRss(processTree(child.pid as number));
      }
    }
    await pause(IDLE_SETTLE_MS);
    const tree = processTree(child.pid as number);
    const stopping = performance.now();
    const pids = tree.map((p) => p.pid);
    child.kill('SIGTERM');
    // The figure that matters: every process of the tree gone, not only the launcher.
    while (pids.some((pid) => existsSync(`/proc/${pid}`)) && performance.now() - stopping < 15_000) {
      await pause(20);
    }
    const exitSeconds = (performance.now() - stopping) / 1000;
    for (const pid of pids) if (existsSync(`/proc/${pid}`)) process.kill(pid, 'SIGKILL');
    return {
      readySeconds,
      ingestSeconds,
      busyRssMiB,
      peakRssMiB,
      rssMiB: treeRss(tree),
      processes: tree.map(({ name, rssMiB }) => ({ name, rssMiB: Math.round(rssMiB) })),
      exitSeconds,
    };
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    if (!dataDir) rmSync(dir, { recursive: true, force: true });
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
  const kept = mkdtempSync(join(tmpdir(), 'teamkb-startup-kept-'));
  const server = await serverRun(['npm', 'start'], noModels, { dataDir: kept });
  const restart = await serverRun(['npm', 'start'], noModels, { dataDir: kept, firstStart: false });
  rmSync(kept, { recursive: true, force: true });
  const previous = await serverRun([node, 'node_modules/.bin/tsx', 'bots/main.ts'], noModels);
  const npmRss = (run: ServerRun) => run.processes.find((p) => p.name.startsWith('npm'))?.rssMiB ?? 0;
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
      name: 'first start: sample KB ingested, all processes, no models',
      value: server.busyRssMiB,
      unit: 'MiB',
      baseline: previous.busyRssMiB,
      baselineName: 'tsx bots/main.ts',
    },
    {
      name: 'first start: peak RSS while the sample KB is ingested, all processes, no models',
      value: server.peakRssMiB,
      unit: 'MiB',
      baseline: previous.peakRssMiB,
      baselineName: 'tsx bots/main.ts',
    },
    {
      name: 'first start, then idle: RSS, all processes, no models',
      value: server.rssMiB,
      unit: 'MiB',
      baseline: previous.rssMiB,
      baselineName: 'tsx bots/main.ts',
      target: '<= 200 MiB (goal 150)',
      met: server.rssMiB <= 200,
    },
    {
      name: 'first start, then idle: RSS without the npm process',
      value: server.rssMiB - npmRss(server),
      unit: 'MiB',
      baseline: npmRss(server),
      baselineName: 'npm itself',
    },
    {
      name: 'restart (KBs present), idle: RSS, all processes, no models',
      value: restart.rssMiB,
      unit: 'MiB',
      target: '<= 200 MiB (goal 150)',
      met: restart.rssMiB <= 200,
    },
    {
      name: 'SIGTERM to npm → every process gone',
      value: server.exitSeconds,
      unit: 's',
      target: '<= 5 s',
      met: server.exitSeconds <= 5,
    },
  );
  const extra = report.extra as Record<string, unknown>;
  extra.processesNoModels = server.processes;
  extra.processesRestart = restart.processes;
  extra.processesPrevious = previous.processes;

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
        name: 'first start: peak RSS while the sample KB is ingested, all processes, bge-small embedder',
        value: withEmbedder.peakRssMiB,
        unit: 'MiB',
      },
      {
        name: 'first start, then idle: RSS, all processes, bge-small embedder',
        value: withEmbedder.rssMiB,
        unit: 'MiB',
        target: '<= 350 MiB',
        met: withEmbedder.rssMiB <= 350,
      },
    );
    extra.processesEmbedder = withEmbedder.processes;
  } else {
    report.notes.push(`bge-small-zh not found at ${BGE}: the embedder rows are skipped`);
  }
  report.rows.push(...rows);
  report.notes.push(
    `floor: node -e 1 takes ${floor.seconds.toFixed(2)} s and ${floor.rssMiB.toFixed(0)} MiB; npm's own launcher ${npmFloor.seconds.toFixed(2)} s (included in "through npm run")`,
    `server processes (no models): ${server.processes.map((p) => `${p.name} ${p.rssMiB} MiB`).join('; ')}`,
    `restart processes (no models): ${restart.processes.map((p) => `${p.name} ${p.rssMiB} MiB`).join('; ')}`,
    `idle = ${IDLE_SETTLE_MS / 1000} s after the first start's sample ingest finished (it took ${server.ingestSeconds.toFixed(1)} s from launch), past the parse workers' idle period`,
    `previous way: ${previous.processes.map((p) => `${p.name} ${p.rssMiB} MiB`).join('; ')}`,
    'each CLI figure is the median of several runs on this machine; the server figures are one start each',
  );
  return report;
};
