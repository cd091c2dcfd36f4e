import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dataDir = mkdtempSync(join(tmpdir(), 'teamkb-cli-'));
const env = {
  ...process.env,
  TEAMKB_DATA_DIR: dataDir,
  TEAMKB_EMBEDDER: 'fake:64',
  TEAMKB_LLM: 'none',
  TEAMKB_PULL: 'never',
  TEAMKB_LOG_LEVEL: 'silent',
};

function kb(...args: string[]) {
  const res = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/kb.ts', ...args], {
    env,
    encoding: 'utf8',
    timeout: 90_000,
  });
  return { code: res.status, out: res.stdout, err: res.stderr, signal: res.signal };
}

/** Parses a command's JSON output, failing with its stderr when there is none. */
function json(res: ReturnType<typeof kb>) {
  if (!res.out.trim()) throw new Error(`no output (exit ${res.code}, signal ${res.signal}): ${res.err}`);
  return JSON.parse(res.out);
}

describe('npm run kb', () => {
  const docs = join(dataDir, 'docs');
  mkdirSync(join(docs, 'sub'), { recursive: true });
  writeFileSync(join(docs, 'vpn.md'), '# VPN\nRotate the VPN key every ninety days from the admin console.\n');
  writeFileSync(join(docs, 'sub', 'leave.txt'), 'Annual leave is twenty-five days per year.\n');
  writeFileSync(join(docs, 'broken.pdf'), 'not really a pdf');

  it('creates, ingests with a summary, lists, searches, removes and deletes', () => {
    expect(kb('create', 'handbook', '--description', '员工手册').code).toBe(0);
    const listed = kb('list', '--json');
    expect(json(listed).kbs[0]).toMatchObject({ name: 'handbook', description: '员工手册', embedder: 'fake:64' });

    const ingest = kb('ingest', 'handbook', docs);
    expect(ingest.code).toBe(0);
    expect(ingest.out).toMatch(/ingested\W+2/);
    expect(ingest.out).toMatch(/failed: broken\.pdf — broken\.pdf: .+/);
    expect(ingest.err).toMatch(/ingest \d+\/3 files/);

    const again = kb('ingest', 'handbook', docs, '--json');
    const summary = json(again);
    expect(summary.unchanged.sort()).toEqual(['sub/leave.txt', 'vpn.md']);

    const search = kb('search', 'handbook', 'rotate', 'vpn', 'key', '--json', '--mode', 'bm25');
    const { hits } = json(search);
    expect(hits[0]).toMatchObject({ source: 'vpn.md', page: null });
    expect(Object.keys(hits[0]).sort()).toEqual(['chunk_id', 'page', 'score', 'source', 'text']);
    for (const h of hits) {
      expect(h.score).toBeGreaterThanOrEqual(0);
      expect(h.score).toBeLessThanOrEqual(1);
    }

    const files = json(kb('files', 'handbook', '--json')).files;
    expect(files.map((f: { name: string; status: string }) => `${f.name}:${f.status}`).sort()).toEqual([
      'broken.pdf:failed',
      'sub/leave.txt:ready',
      'vpn.md:ready',
    ]);

    expect(kb('remove', 'handbook', 'vpn.md').code).toBe(0);
    const after = json(kb('search', 'handbook', 'rotate vpn key', '--json')).hits;
    expect(after.map((h: { source: string }) => h.source)).not.toContain('vpn.md');

    const refused = kb('delete', 'handbook');
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('--yes');
    expect(kb('delete', 'handbook', '--yes').code).toBe(0);
  }, 120_000);

  it('explains errors in one line without a stack trace', () => {
    const missing = kb('search', 'nope', 'anything');
    expect(missing.code).toBe(1);
    expect(missing.err.trim()).toBe('Error: Knowledge base "nope" does not exist.');
    const badName = kb('create', 'bad name!');
    expect(badName.err).toMatch(/not a valid knowledge base name/);
    const badMode = kb('search', 'x', 'q', '--mode', 'fuzzy');
    expect(badMode.err).toMatch(/--mode must be hybrid, dense or bm25/);
    const migrate = kb('migrate', '--to', 'embedded');
    expect(migrate.err).toMatch(/already embedded/);
  }, 60_000);
});
