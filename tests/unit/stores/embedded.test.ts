import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createEmbeddedStore } from '../../../adapters/stores/embedded/index.js';
import { unit, vectorStoreContract } from '../../contract/vector-store.contract.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'teamkb-embedded-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

vectorStoreContract('embedded (LanceDB)', () => createEmbeddedStore({ dir: tempDir() }));

describe('embedded store', () => {
  it('keeps chunks across a reopen of the same directory', async () => {
    const dir = tempDir();
    const first = await createEmbeddedStore({ dir });
    await first.ensure('持久', 8);
    await first.upsert('持久', [
      { id: 'a', fileId: 'f', ordinal: 0, text: '保存的内容', meta: { source: 'f.md' }, vector: unit(1) },
    ]);
    await first.close();
    const second = await createEmbeddedStore({ dir });
    expect(await second.count('持久')).toBe(1);
    const hits = await second.search('持久', { mode: 'hybrid', text: '保存', vector: unit(1), topK: 1 });
    expect(hits[0]?.chunk.text).toBe('保存的内容');
    await expect(second.ensure('持久', 16)).rejects.toThrow(/8-dim/);
    await second.close();
  });

  it('returns the same results before and after its indexes are built', async () => {
    const store = await createEmbeddedStore({ dir: tempDir(), maintenanceDelayMs: 60_000 });
    await store.ensure('kb', 8);
    const words = ['alpha', 'bravo', 'charlie', 'delta', 'echo', '苹果', '香蕉', '橙子'];
    const chunks = Array.from({ length: 200 }, (_, i) => ({
      id: `c${i}`,
      fileId: `f${i % 10}`,
      ordinal: i,
      text: `${words[i % 8]} ${words[(i * 3) % 8]} 第${i}段`,
      meta: { source: `f${i % 10}.md` },
      vector: unit(i % 8, (i % 5) / 10),
    }));
    await store.upsert('kb', chunks);
    const query = { text: 'charlie 香蕉', vector: unit(3, 0.2), topK: 10 };
    const before = await Promise.all(
      (['dense', 'bm25', 'hybrid'] as const).map((mode) => store.search('kb', { ...query, mode })),
    );
    await store.optimize('kb');
    const after = await Promise.all((['dense', 'bm25', 'hybrid'] as const).map((mode) => store.search('kb', { ...query, mode })));
    // Equal scores may tie-break differently, so compare the scores (and the clear winners).
    const scores = (hits: typeof before) => hits.map((list) => list.map((h) => h.score.toFixed(5)));
    expect(scores(after)).toEqual(scores(before));
    expect(after.map((list) => list[0]?.score)).toEqual(before.map((list) => list[0]?.score));
    await store.close();
  });
});
