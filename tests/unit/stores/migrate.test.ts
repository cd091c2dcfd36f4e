import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { createEmbeddedStore } from '../../../adapters/stores/embedded/index.js';
import { migrateKb } from '../../../adapters/stores/migrate.js';
import { unit } from '../../contract/vector-store.contract.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'teamkb-migrate-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

it('copies every chunk with its vector to another store and verifies the count', async () => {
  const from = await createEmbeddedStore({ dir: tempDir() });
  const to = await createEmbeddedStore({ dir: tempDir() });
  await from.ensure('手册', 8);
  const chunks = Array.from({ length: 23 }, (_, i) => ({
    id: `c${i}`,
    fileId: `f${i % 3}`,
    ordinal: i,
    text: `第${i}段 paragraph ${i}`,
    meta: { source: `f${i % 3}.md`, page: i },
    vector: unit(i % 8, 0.1),
  }));
  await from.upsert('手册', chunks);
  const progress: number[] = [];
  const result = await migrateKb(from, to, '手册', 8, (p) => progress.push(p.copied), 10);
  expect(result).toEqual({ copied: 23 });
  expect(progress).toEqual([10, 20, 23]);
  expect(await to.count('手册')).toBe(23);
  const [hit] = await to.search('手册', { mode: 'dense', vector: unit(5, 0.1), topK: 1, filter: { fileIds: ['f2'] } });
  expect(hit?.chunk.id).toBe('c5');
  expect(hit?.score).toBeCloseTo(1, 4);
  await from.close();
  await to.close();
});
