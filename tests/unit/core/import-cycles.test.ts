import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findCycles, importGraph } from '../../../scripts/lib/import-graph.js';

function project(files: Record<string, string>): { root: string; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'teamkb-graph-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

describe('import graph', () => {
  it('has no cycle among the project files (static, re-export or dynamic imports)', () => {
    const graph = importGraph();
    expect(graph.size).toBeGreaterThan(300);
    // The entry point is imported by nobody; everything else reaches the composition root instead.
    const importers = [...graph].filter(([, targets]) => targets.includes('bots/main.ts')).map(([file]) => file);
    expect(importers).toEqual([]);
    expect(findCycles(graph)).toEqual([]);
  });

  it('finds a cycle closed by a dynamic import one way and a static import back', () => {
    const { root, cleanup } = project({
      'bots/main.ts': "export const run = async () => (await import('./start.js')).start();\n",
      'bots/start.ts': "import { run } from './main.js';\nexport const start = () => run;\n",
      'core/a.ts': "export * from './b.js';\n",
      'core/b.ts': "import type { A } from './a.js';\nexport type B = A;\n",
      'core/c/index.ts': "import { x } from '../d.js';\nexport const y = x;\n",
      'core/d.ts': "import { y } from './c/index.js';\nexport const x = 1;\nexport const z = y;\n",
    });
    try {
      const cycles = findCycles(importGraph(root));
      expect(cycles).toEqual([
        ['bots/main.ts', 'bots/start.ts', 'bots/main.ts'],
        ['core/c/index.ts', 'core/d.ts', 'core/c/index.ts'],
      ]);
    } finally {
      cleanup();
    }
  });
});
