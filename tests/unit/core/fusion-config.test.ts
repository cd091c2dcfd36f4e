import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openCore } from '../../../bots/main.js';
import { loadConfig } from '../../../core/config/load.js';
import { testEnv } from '../../helpers/core.js';

/**
 * `fusion` and `denseWeight` in configs/kb.yaml must reach hybrid search: the same corpus and
 * questions, opened through the real config loader and composition, rank differently per setting.
 */
const DOCS: Array<[string, string]> = [
  ['vpn.md', 'Rotate the VPN key every ninety days from the admin console. VPN VPN key rotation policy.'],
  ['keys.md', 'Key rotation for office doors: rotate the brass key when a tenant leaves.'],
  ['console.md', 'The admin console lists every device, its owner and its last login.'],
  ['leave.md', 'Annual leave is twenty five days; rotate holiday cover between team members.'],
  ['badge.md', 'A lost badge is replaced at reception; the admin resets its key within a day.'],
  ['lunch.md', 'The canteen serves lunch from noon; the menu rotates every week.'],
  ['network.md', 'Network admin notes: VPN gateways, key material and console access live in the vault.'],
  ['policy.md', 'Security policy: every ninety days staff rotate passwords and review console access.'],
];
const QUESTIONS = [
  'how often do we rotate the vpn key',
  'admin console key',
  'ninety days rotation policy',
  'where is the vpn key material kept',
  'lost badge key reset',
  'rotate cover between members',
];

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function rankings(kbYaml: Record<string, string>): Promise<string[][]> {
  const configDir = mkdtempSync(join(tmpdir(), 'teamkb-fusion-config-'));
  const dataDir = mkdtempSync(join(tmpdir(), 'teamkb-fusion-data-'));
  dirs.push(configDir, dataDir);
  cpSync('configs', configDir, { recursive: true });
  let yaml = readFileSync(join(configDir, 'kb.yaml'), 'utf8');
  for (const [key, value] of Object.entries(kbYaml)) yaml = yaml.replace(new RegExp(`^${key}:.*$`, 'm'), `${key}: ${value}`);
  writeFileSync(join(configDir, 'kb.yaml'), yaml);
  const config = loadConfig({ configDir, env: testEnv(dataDir) });
  const core = await openCore(config);
  try {
    await core.kb.createKb('fusion');
    await core.kb.ingestUploads(
      'fusion',
      DOCS.map(([name, text]) => ({ name, bytes: Buffer.from(text) })),
    );
    const out: string[][] = [];
    for (const question of QUESTIONS) {
      const hits = await core.kb.search(['fusion'], question, { mode: 'hybrid', topK: 8 });
      out.push(hits.map((h) => h.chunk.meta.source));
    }
    return out;
  } finally {
    await core.close();
  }
}

describe('fusion settings from configs/kb.yaml', () => {
  it('reach hybrid search: rrf and a different dense weight change the ranking', async () => {
    const weighted = await rankings({ fusion: 'weighted', denseWeight: '0.5' });
    const rrf = await rankings({ fusion: 'rrf', denseWeight: '0.5' });
    const denseHeavy = await rankings({ fusion: 'weighted', denseWeight: '0.95' });
    const bm25Heavy = await rankings({ fusion: 'weighted', denseWeight: '0.05' });
    for (const ranking of [...weighted, ...rrf, ...denseHeavy, ...bm25Heavy]) expect(ranking.length).toBeGreaterThan(0);
    expect(rrf).not.toEqual(weighted);
    expect(denseHeavy).not.toEqual(bm25Heavy);
  }, 60_000);
});
