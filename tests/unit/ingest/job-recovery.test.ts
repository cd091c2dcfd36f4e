import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSqlRegistry } from '../../../adapters/registry/sql-registry.js';
import { openSqlite } from '../../../adapters/registry/sqlite-db.js';
import { openCore } from '../../../bots/app-services.js';
import { registryPath } from '../../../bots/core-services.js';
import { loadConfig } from '../../../core/config/load.js';
import { INTERRUPTED_FILE, INTERRUPTED_JOB } from '../../../core/ingest/recovery.js';
import { testEnv } from '../../helpers/core.js';

/** The owner id of a process that has already exited. */
function deadOwner(): string {
  const child = spawnSync(process.execPath, ['-e', '']);
  return `${hostname()}:${child.pid}`;
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function dataDir(): { dir: string; env: Record<string, string> } {
  const dir = mkdtempSync(join(tmpdir(), 'teamkb-recovery-'));
  dirs.push(dir);
  return { dir, env: testEnv(dir, { TEAMKB_EMBEDDER: 'fake:32' }) };
}

describe('jobs interrupted by a crash', () => {
  it('are marked failed at the next start, and their pending files failed with partial chunks removed', async () => {
    const { dir, env } = dataDir();
    const config = loadConfig({ configDir: 'configs', env });
    let core = await openCore(config);
    await core.kb.createKb('docs');
    await core.kb.createKb('busy');
    await core.kb.ingestUploads('docs', [
      { name: 'done.md', bytes: Buffer.from('# Done\n\nThis file finished before the crash.') },
    ]);
    const vector = new Float32Array(32).fill(0.1);
    const partial = { id: 'half-c0', fileId: 'half-v1', ordinal: 0, text: 'half written', meta: { source: 'half.md' }, vector };
    await core.store.upsert('docs', [partial]);
    const before = await core.store.count('docs');
    await core.close();

    // What a killed process leaves behind: its job "running", a first file version "pending" with
    // some chunks written (above). Another job belongs to a process that is still alive (a CLI ingest).
    const registry = createSqlRegistry(openSqlite(registryPath(dir)), { owner: deadOwner() });
    const crashed = registry.createJob('docs', 'ingest');
    registry.updateJob(crashed.id, {
      status: 'running',
      progress: { filesTotal: 3, filesDone: 1, chunksDone: 2, failed: 0, unchanged: 0, currentFile: 'half.md' },
    });
    registry.upsertFile({
      id: 'half-v1',
      kb: 'docs',
      name: 'half.md',
      sha256: 'x',
      size: 10,
      status: 'pending',
      error: null,
      chunks: 0,
    });
    const live = createSqlRegistry(openSqlite(registryPath(dir)), { owner: `${hostname()}:${process.pid}` });
    const running = live.createJob('busy', 'ingest');
    live.updateJob(running.id, { status: 'running' });
    live.upsertFile({
      id: 'busy-v1',
      kb: 'busy',
      name: 'coming.md',
      sha256: 'y',
      size: 10,
      status: 'pending',
      error: null,
      chunks: 0,
    });
    registry.close();
    live.close();

    core = await openCore(config);
    try {
      const job = core.kb.getJob(crashed.id);
      expect(job).toMatchObject({ status: 'failed', error: INTERRUPTED_JOB });
      expect(job?.progress.currentFile).toBeUndefined();
      const files = Object.fromEntries(core.kb.listFiles('docs').map((f) => [f.name, f]));
      expect(files['done.md']?.status).toBe('ready');
      expect(files['half.md']).toMatchObject({ status: 'failed', error: INTERRUPTED_FILE });
      expect(await core.store.count('docs')).toBe(before - 1);
      // The live job and its KB are untouched; /kb status and GET /api/jobs still list it.
      expect(core.kb.listJobs({ unfinished: true }).map((j) => j.id)).toEqual([running.id]);
      expect(core.kb.listFiles('busy')[0]?.status).toBe('pending');
    } finally {
      await core.close();
    }
  });

  it('a CLI ingest killed mid-way leaves a failed job and no pending file; running it again completes', async () => {
    const { dir, env } = dataDir();
    const source = join(dir, 'source');
    mkdirSync(source);
    for (let i = 0; i < 60; i++) {
      const body = Array.from({ length: 30 }, (_, j) => `Document ${i} paragraph ${j} about topic${i}.`).join('\n\n');
      writeFileSync(join(source, `doc-${String(i).padStart(2, '0')}.md`), `# Doc ${i}\n\n${body}\n`);
    }
    const killed = await runKb(['ingest', 'docs', source, '--create'], env, true);
    expect(killed).not.toBe(0);

    // Straight after the crash the registry still says "running".
    const raw = createSqlRegistry(openSqlite(registryPath(dir)));
    const [job] = raw.listJobs('docs');
    expect(job?.status).toBe('running');
    raw.close();

    const config = loadConfig({ configDir: 'configs', env });
    let core = await openCore(config);
    expect(core.kb.getJob(job?.id ?? '')).toMatchObject({ status: 'failed', error: INTERRUPTED_JOB });
    expect(core.kb.listFiles('docs').filter((f) => f.status === 'pending')).toEqual([]);
    expect(core.kb.listJobs({ unfinished: true })).toEqual([]);
    await core.close();

    expect(await runKb(['ingest', 'docs', source], env, false)).toBe(0);
    core = await openCore(config);
    try {
      const files = core.kb.listFiles('docs');
      expect(files.filter((f) => f.status === 'ready')).toHaveLength(60);
      expect(core.kb.listJobs({ kb: 'docs' }).map((j) => j.status)).toEqual(['done', 'failed']);
    } finally {
      await core.close();
    }
  }, 120_000);
});

/** Runs the CLI; with `kill`, SIGKILLs it once it reports progress (a crash, not a clean stop). */
function runKb(args: string[], env: Record<string, string>, kill: boolean): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/kb.ts', ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (kill && /ingest \d+\/\d+ files/.test(output)) child.kill('SIGKILL');
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('close', (code) => resolve(code));
  });
}
