import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importGraph } from '../../../scripts/lib/import-graph.js';
import { ROOT } from '../../helpers/shared.js';

/**
 * Files allowed to touch process.env, each for a reason that is not a user setting. Everything a
 * user can set goes through core/config (schema, configs/*.yaml, .env, environment).
 */
const ALLOWED: Record<string, string> = {
  'core/config/load.ts': 'config loading itself',
  'adapters/stores/embedded/index.ts': "sizes LanceDB's native thread pool, which reads LANCE_CPU_THREADS when it loads",
  'scripts/bench/startup.ts': 'starts servers and CLIs as child processes with a copy of the environment',
  'scripts/lib/shared-fixtures.ts': 'where benchmark and evaluation fixtures live on a developer machine',
};

describe('environment reads', () => {
  it('happen only in config loading (tests may set env for child processes)', () => {
    const files = [...importGraph().keys()].filter((f) => /^(bots|core|adapters|scripts)\//.test(f));
    expect(files.length).toBeGreaterThan(200);
    const readers = files.filter((f) => /\bprocess\.env\b/.test(readFileSync(join(ROOT, f), 'utf8')));
    expect(readers.filter((f) => !(f in ALLOWED))).toEqual([]);
  });
});
