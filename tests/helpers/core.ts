import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCore } from '../../bots/app-services.js';
import { loadConfig } from '../../core/config/load.js';

/** The environment tests load the config with: fake embedder, no LLM, no model downloads, silent logs; env wins. */
export function testEnv(dataDir: string, env: Record<string, string> = {}): Record<string, string> {
  return {
    TEAMKB_DATA_DIR: dataDir,
    TEAMKB_EMBEDDER: 'fake:64',
    TEAMKB_LLM: 'none',
    TEAMKB_PULL: 'never',
    TEAMKB_LOG_LEVEL: 'silent',
    ...env,
  };
}

/** Opens the real core services (SQLite registry, embedded store, loaders) in a fresh temp data dir. */
export async function openTestCore(env: Record<string, string> = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'teamkb-test-'));
  const config = loadConfig({ configDir: 'configs', env: testEnv(dataDir, env) });
  const core = await openCore(config);
  return { core, dataDir };
}
