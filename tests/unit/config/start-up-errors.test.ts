import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCore } from '../../../bots/app-services.js';
import { loadConfig } from '../../../core/config/load.js';
import { isTeamKbError } from '../../../core/errors.js';

const base = { TEAMKB_EMBEDDER: 'fake:16', TEAMKB_LLM: 'none', TEAMKB_PULL: 'never', TEAMKB_LOG_LEVEL: 'silent' };

async function startWith(env: Record<string, string>): Promise<unknown> {
  const config = loadConfig({
    configDir: 'configs',
    env: { ...base, TEAMKB_DATA_DIR: mkdtempSync(join(tmpdir(), 'teamkb-cfg-')), ...env },
  });
  try {
    const core = await openCore(config, { llms: true });
    await core.close();
    return undefined;
  } catch (err) {
    return err;
  }
}

describe('documented configuration errors stop start-up', () => {
  it.each([
    ['TEAMKB_EMBEDDER', 'bogus'],
    ['TEAMKB_EMBEDDER', 'bogus:thing'],
    ['TEAMKB_LLM', 'bogus'],
    ['TEAMKB_EMBEDDER', 'openai:model-without-url'],
    ['TEAMKB_LLM', 'transformers:some-model'],
    ['TEAMKB_RERANKER', 'openai:rerank@http://127.0.0.1:9'],
  ])('%s=%s names the key', async (key, value) => {
    const error = await startWith({ [key]: value });
    expect(isTeamKbError(error, 'CONFIG_INVALID')).toBe(true);
    expect((error as Error).message).toContain(key);
  });

  it('a model that is configured correctly but cannot load still starts, degraded', async () => {
    expect(await startWith({ TEAMKB_LLM: 'llama:/nonexistent/no-such-model.gguf' })).toBeUndefined();
  });
});
