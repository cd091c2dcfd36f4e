import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCore } from '../../../bots/app-services.js';
import { loadConfig } from '../../../core/config/load.js';
import { bigHandbook as version } from './helpers/big-handbook.js';

function dieMidFile(
  dataDir: string,
  word: string,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/unit/ingest/helpers/die-mid-file.ts', dataDir, word], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => {
      output += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      output += c.toString();
    });
    child.on('close', (code, signal) => resolve({ code, signal, output }));
  });
}

describe('crash consistency mid-file', () => {
  it('a file version whose chunks are only partly stored is never searchable; the old version still is', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'teamkb-half-'));
    const env = {
      TEAMKB_DATA_DIR: dataDir,
      TEAMKB_EMBEDDER: 'fake:32',
      TEAMKB_LLM: 'none',
      TEAMKB_PULL: 'never',
      TEAMKB_LOG_LEVEL: 'silent',
    };
    const config = loadConfig({ configDir: 'configs', env });
    let core = await openCore(config);
    await core.kb.createKb('docs');
    await core.kb.ingestUploads('docs', [{ name: 'handbook.md', bytes: Buffer.from(version('walrus')) }]);
    const [v1] = core.kb.listFiles('docs');
    const v1Chunks = await core.store.count('docs');
    await core.close();

    const killed = await dieMidFile(dataDir, 'zebrafish');
    expect(killed.signal, killed.output).toBe('SIGKILL');
    expect(killed.output).toMatch(/stored 512 chunks/);

    core = await openCore(config);
    try {
      // Demonstrably half-written: the store holds chunks beyond the ready version's.
      const stored = await core.store.count('docs');
      expect(stored).toBeGreaterThan(v1Chunks);
      expect(core.kb.listFiles('docs')).toEqual([expect.objectContaining({ id: v1?.id, status: 'ready' })]);
      for (const mode of ['bm25', 'hybrid'] as const) {
        const hits = await core.kb.search(['docs'], 'zebrafish procedures', { mode, topK: 20 });
        expect(hits.every((h) => h.chunk.fileId === v1?.id)).toBe(true);
        expect(hits.some((h) => h.chunk.text.includes('zebrafish'))).toBe(false);
        const old = await core.kb.search(['docs'], 'walrus procedures', { mode, topK: 5 });
        expect(old.length).toBeGreaterThan(0);
      }
    } finally {
      await core.close();
    }
  }, 120_000);
});
