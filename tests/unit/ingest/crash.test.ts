import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCore } from '../../../bots/app-services.js';
import { loadConfig } from '../../../core/config/load.js';

const FILES = 120;

function runKb(
  args: string[],
  env: Record<string, string>,
  killAfterProgress?: number,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/kb.ts', ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let armed = false;
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (killAfterProgress !== undefined && !armed && /ingest \d+\/\d+ files/.test(output)) {
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), killAfterProgress);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('crash consistency', () => {
  it('a killed ingest leaves no half file visible, and re-running completes it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'teamkb-crash-'));
    const source = join(dataDir, 'source');
    mkdirSync(source);
    for (let i = 0; i < FILES; i++) {
      const body = Array.from(
        { length: 40 },
        (_, j) => `Document ${i} paragraph ${j} mentions token${i}x and shared filler text.`,
      ).join('\n\n');
      writeFileSync(join(source, `doc-${String(i).padStart(3, '0')}.md`), `# Doc ${i}\n\n${body}\n`);
    }
    const env = {
      TEAMKB_DATA_DIR: dataDir,
      TEAMKB_EMBEDDER: 'fake:32',
      TEAMKB_LLM: 'none',
      TEAMKB_PULL: 'never',
      TEAMKB_LOG_LEVEL: 'silent',
    };

    const killed = await runKb(['ingest', 'docs', source, '--create'], env, 300);
    expect(killed.code).not.toBe(0);

    const config = loadConfig({ configDir: 'configs', env });
    let core = await openCore(config);
    const partial = core.kb.listFiles('docs');
    const readyAfterKill = partial.filter((f) => f.status === 'ready').length;
    console.log(`[crash test] killed with ${readyAfterKill}/${FILES} files ready`);
    // Whatever was interrupted must not be searchable: every hit belongs to a ready file version.
    const readyIds = new Set(partial.filter((f) => f.status === 'ready').map((f) => f.id));
    for (const hit of await core.kb.search(['docs'], 'shared filler text', { mode: 'bm25', topK: 50 })) {
      expect(readyIds.has(hit.chunk.fileId)).toBe(true);
    }
    await core.close();

    const rerun = await runKb(['ingest', 'docs', source, '--json'], env);
    expect(rerun.code).toBe(0);

    core = await openCore(config);
    try {
      const files = core.kb.listFiles('docs');
      expect(files).toHaveLength(FILES);
      expect(files.every((f) => f.status === 'ready')).toBe(true);
      const expectedChunks = files.reduce((n, f) => n + f.chunks, 0);
      const stored = await core.store.count('docs');
      expect(stored).toBe(expectedChunks);
      for (const i of [0, Math.floor(FILES / 2), FILES - 1]) {
        const hits = await core.kb.search(['docs'], `token${i}x`, { mode: 'bm25', topK: 60 });
        const sources = new Set(hits.map((h) => h.chunk.meta.source));
        expect([...sources]).toEqual([`doc-${String(i).padStart(3, '0')}.md`]);
        const ids = hits.map((h) => h.chunk.id);
        expect(new Set(ids).size).toBe(ids.length);
      }
    } finally {
      await core.close();
    }
  }, 120_000);
});
