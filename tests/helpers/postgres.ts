import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPostgres } from '../../adapters/registry/pg-db.js';

/** A throwaway PostgreSQL cluster for one test file: its own folder, port and socket; gone after stop(). */
export interface TestPostgres {
  /** A fresh, empty database on the cluster (each call its own). */
  newDatabase(): string;
  stop(): void;
}

/** Debian puts each server version under /usr/lib/postgresql/<version>/bin; the newest wins. */
function serverBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] && join(root, versions[0], 'bin');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** initdb and the server refuse to run as root: as root, they run as the `postgres` system user. */
function asServerUser(bin: string, args: string[]): void {
  const isRoot = process.getuid?.() === 0;
  if (isRoot) execFileSync('runuser', ['-u', 'postgres', '--', bin, ...args], { stdio: 'pipe' });
  else execFileSync(bin, args, { stdio: 'pipe' });
}

/**
 * Starts a cluster (initdb, pg_ctl start on 127.0.0.1 and a socket in the temp folder), or returns
 * undefined after a visible notice when no PostgreSQL server is installed or it cannot start.
 */
export async function startTestPostgres(why: string): Promise<TestPostgres | undefined> {
  const bin = serverBin();
  if (!bin) {
    console.warn(`[notice] skipping ${why}: no PostgreSQL server installed (apt-get install postgresql)`);
    return undefined;
  }
  const dir = mkdtempSync(join(tmpdir(), 'teamkb-pg-'));
  chmodSync(dir, 0o777);
  const data = join(dir, 'data');
  const port = await freePort();
  try {
    asServerUser(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync']);
    asServerUser(join(bin, 'pg_ctl'), [
      '-D',
      data,
      '-l',
      join(dir, 'server.log'),
      '-w',
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60`,
      'start',
    ]);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    const detail = (err as { stderr?: Buffer }).stderr?.toString().trim() || (err as Error).message;
    console.warn(`[notice] skipping ${why}: PostgreSQL did not start (${detail.split('\n')[0]})`);
    return undefined;
  }
  const url = (db: string) => `postgres://postgres@127.0.0.1:${port}/${db}`;
  let n = 0;
  return {
    newDatabase() {
      const name = `teamkb_test_${++n}`;
      const admin = openPostgres(url('postgres'));
      try {
        admin.exec(`CREATE DATABASE ${name}`);
      } finally {
        admin.close();
      }
      return url(name);
    },
    stop() {
      try {
        asServerUser(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
