import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqlite } from '../../../adapters/registry/sqlite-db.js';
import { ApiKeyStore } from '../../../bots/access/api-keys.js';
import { registryPath } from '../../../bots/core-services.js';

const dataDir = mkdtempSync(join(tmpdir(), 'teamkb-keys-'));
const env = { ...process.env, TEAMKB_DATA_DIR: dataDir, TEAMKB_LOG_LEVEL: 'silent' };

function kb(...args: string[]) {
  const res = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/kb.ts', 'keys', ...args], {
    env,
    encoding: 'utf8',
    timeout: 90_000,
  });
  return { code: res.status, out: res.stdout, err: res.stderr };
}

/** What the server would do with a presented key: look it up in the same data dir. */
function authenticate(key: string) {
  const db = openSqlite(registryPath(dataDir));
  try {
    return new ApiKeyStore(db).authenticate(key);
  } finally {
    db.close();
  }
}

describe('npm run kb -- keys', () => {
  it('creates a scoped key shown once, lists without it, stores only a hash, and revokes', () => {
    const created = kb('create', 'ci-bot', '--scopes', 'read,write', '--kbs', 'payroll');
    expect(created.code, created.err).toBe(0);
    const key = /\b(tkb_[\w-]{40,})\b/.exec(created.out)?.[1] as string;
    expect(key).toBeDefined();
    expect(authenticate(key)).toEqual({ kind: 'key', name: 'ci-bot', scopes: ['read', 'write'], kbs: ['payroll'] });

    const listed = kb('list', '--json');
    expect(JSON.parse(listed.out).keys).toMatchObject([{ name: 'ci-bot', scopes: ['read', 'write'], revokedAt: null }]);
    expect(listed.out).not.toContain(key);
    const db = openSqlite(registryPath(dataDir));
    const rows = JSON.stringify(db.all('SELECT * FROM access_api_keys'));
    db.close();
    expect(rows).not.toContain(key);

    expect(kb('create', 'ci-bot').err).toContain('exists already');
    expect(kb('create', 'x', '--scopes', 'root').err).toContain('Unknown scope "root"');
    expect(kb('revoke', 'ci-bot').code).toBe(0);
    expect(authenticate(key)).toBeUndefined();
    expect(kb('revoke', 'ci-bot').err).toContain('No active API key');
  });
});
