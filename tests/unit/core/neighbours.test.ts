import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openCore } from '../../../bots/main.js';
import { loadConfig } from '../../../core/config/load.js';
import { joinNeighbours } from '../../../core/retrieval/neighbours.js';
import { testEnv } from '../../helpers/core.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const filler = (topic: string) =>
  Array.from({ length: 9 }, (_, i) => `The ${topic} note number ${i + 1} talks about routine office matters only.`).join(' ');

/** Three ~500-character sections: the question matches the middle one, the answer sits in the next. */
const DOC = [
  filler('canteen'),
  `${filler('archive')} Every quarter the security team holds the key ceremony in the basement vault.`,
  `The code word for that occasion is PELICAN, and it changes each time. ${filler('parking')}`,
].join('\n\n');

async function topHitText(neighbourChunks: number): Promise<{ text: string; chunkOrdinal: number }> {
  const configDir = mkdtempSync(join(tmpdir(), 'teamkb-neighbours-config-'));
  const dataDir = mkdtempSync(join(tmpdir(), 'teamkb-neighbours-data-'));
  dirs.push(configDir, dataDir);
  cpSync('configs', configDir, { recursive: true });
  const yaml = readFileSync(join(configDir, 'kb.yaml'), 'utf8').replace(
    /^neighbourChunks:.*$/m,
    `neighbourChunks: ${neighbourChunks}`,
  );
  writeFileSync(join(configDir, 'kb.yaml'), yaml);
  const core = await openCore(loadConfig({ configDir, env: testEnv(dataDir) }));
  try {
    await core.kb.createKb('vault');
    await core.kb.ingestUploads('vault', [{ name: 'security.txt', bytes: Buffer.from(DOC) }]);
    expect(core.kb.listFiles('vault')[0]?.chunks).toBeGreaterThanOrEqual(3);
    const [top] = await core.kb.search(['vault'], 'quarterly key ceremony basement vault security team', { topK: 1 });
    if (!top) throw new Error('no hit');
    return { text: top.chunk.text, chunkOrdinal: top.chunk.ordinal };
  } finally {
    await core.close();
  }
}

describe('neighbouring chunks', () => {
  it('joins neighbours without repeating the overlap', () => {
    expect(joinNeighbours('alpha beta gamma', 'beta gamma delta')).toBe('alpha beta gamma delta');
    expect(joinNeighbours('one', 'two')).toBe('one\ntwo');
  });

  it('show the matched chunk with the next one, so the answer is in the cited passage', async () => {
    const alone = await topHitText(0);
    const widened = await topHitText(1);
    expect(alone.text).toContain('key ceremony');
    expect(alone.text).not.toContain('PELICAN');
    expect(widened.text).toContain('key ceremony');
    expect(widened.text).toContain('PELICAN');
    expect(widened.chunkOrdinal).toBe(alone.chunkOrdinal);
  }, 60_000);
});
