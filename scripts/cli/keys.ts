import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { ApiKeyStore } from '../../bots/access/api-keys.js';
import { TeamKbError } from '../../core/errors.js';
import { SCOPES, type Scope } from '../../core/principal.js';

/**
 * The key store in the configured state database, without loading any model. The configuration
 * and the database load only when a key command runs, so `kb --help` stays quick.
 */
async function withKeys<T>(fn: (keys: ApiKeyStore) => T): Promise<T> {
  const [{ openStateDb }, { ApiKeyStore }, { migrateAccess }, { registryPath }, { loadConfig }] = await Promise.all([
    import('../../adapters/registry/open-state.js'),
    import('../../bots/access/api-keys.js'),
    import('../../bots/access/migrations.js'),
    import('../../bots/core-services.js'),
    import('../../core/config/load.js'),
  ]);
  const { basic } = loadConfig();
  const dataDir = resolve(basic.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const db = openStateDb({ databaseUrl: basic.databaseUrl, sqlitePath: registryPath(dataDir) });
  try {
    migrateAccess(db);
    return fn(new ApiKeyStore(db));
  } finally {
    db.close();
  }
}

const when = (ms: number | null) => (ms ? new Date(ms).toISOString().replace('T', ' ').slice(0, 16) : '—');

function parseScopes(text: string): Scope[] {
  const scopes = text
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const bad = scopes.filter((s) => !SCOPES.includes(s as Scope));
  if (bad.length) throw new TeamKbError('INVALID_INPUT', `Unknown scope "${bad.join(', ')}": use ${SCOPES.join(', ')}.`);
  return scopes as Scope[];
}

/** `kb keys create|list|revoke`: named API keys, stored hashed; the key is printed once. */
export function registerKeyCommands(program: Command): void {
  const keys = program.command('keys').description('manage API keys (named, scoped, stored hashed)');

  keys
    .command('create <name>')
    .description('create a key and print it once')
    .option('-s, --scopes <list>', 'read (search, chat, download), write (add files), admin (everything)', 'read')
    .option('--kbs <list>', 'restricted or private knowledge bases the key may read, comma-separated')
    .action(async (name: string, o: { scopes: string; kbs?: string }) => {
      const kbs = o.kbs
        ?.split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const { key, info } = await withKeys((store) => store.create(name, parseScopes(o.scopes), kbs));
      console.log(`Created API key "${info.name}" (scopes: ${info.scopes.join(', ')}${kbs ? `; KBs: ${kbs.join(', ')}` : ''}).`);
      console.log(`\n  ${key}\n`);
      console.log('It is shown only now: TeamKB keeps only its hash. Send it as "Authorization: Bearer <key>".');
    });

  keys
    .command('list')
    .description('list keys (never the keys themselves)')
    .option('--json', 'machine-readable output')
    .action(async (o: { json?: boolean }) => {
      const all = await withKeys((store) => store.list());
      if (o.json) return console.log(JSON.stringify({ keys: all }, null, 2));
      if (all.length === 0) return console.log('No API keys. Create one: npm run kb -- keys create <name> --scopes read');
      console.table(
        all.map((k) => ({
          name: k.name,
          scopes: k.scopes.join(','),
          kbs: k.kbs?.join(',') ?? '',
          created: when(k.createdAt),
          'last used': when(k.lastUsedAt),
          revoked: when(k.revokedAt),
        })),
      );
    });

  keys
    .command('revoke <name>')
    .description('revoke a key at once')
    .action(async (name: string) => {
      const done = await withKeys((store) => store.revoke(name));
      if (!done) throw new TeamKbError('INVALID_INPUT', `No active API key named "${name}" (npm run kb -- keys list).`);
      console.log(`Revoked API key "${name}".`);
    });
}
