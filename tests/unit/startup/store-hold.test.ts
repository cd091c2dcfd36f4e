import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createStore, StoreHold } from '../../../bots/wiring/store.js';
import { loadConfig } from '../../../core/config/load.js';
import { createLogger } from '../../../core/logger.js';
import { testEnv } from '../../helpers/core.js';
import { ROOT } from '../../helpers/shared.js';

/**
 * While the first start's sample ingest writes the embedded store from its own process, the
 * server's store calls wait for it: LanceDB takes one writer, and a table opened before the other
 * process finished would not see its last writes.
 */
describe('holding the embedded store while another process writes it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'teamkb-hold-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('calls wait until the hold is released, then run', async () => {
    const config = loadConfig({ configDir: join(ROOT, 'configs'), env: testEnv(dir) });
    const hold = new StoreHold();
    const store = await createStore(config, dir, createLogger('silent'), hold);
    let release = () => {};
    hold.hold(new Promise<void>((resolve) => (release = resolve)));
    let settled = false;
    const ensured = store.ensure('held', 64).then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 300));
    expect(settled).toBe(false);
    release();
    await ensured;
    expect(await store.count('held')).toBe(0);
    await store.close();
  });

  it('a hold that fails releases the store too', async () => {
    const hold = new StoreHold();
    hold.hold(Promise.reject(new Error('the ingest process failed')));
    await expect(hold.wait()).resolves.toBeDefined();
  });
});
