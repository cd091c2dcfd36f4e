// A replica in miniature, for the dedupe race: claims event ids E0…E(n-1) on a shared PostgreSQL
// once told to go (a line on stdin), and prints the ids it won as one JSON line.
import { openPostgres } from '../../../adapters/registry/pg-db.js';
import { DedupeStore } from '../../../bots/state/dedupe-store.js';
import { migrateRuntime } from '../../../bots/state/migrations.js';

const [url, count] = process.argv.slice(2);
const db = openPostgres(url as string);
migrateRuntime(db);
const dedupe = new DedupeStore(db, 3_600_000);
process.stdout.write('ready\n');
process.stdin.once('data', () => {
  const won: number[] = [];
  for (let i = 0; i < Number(count); i++) if (dedupe.firstDelivery('slack', `E${i}`, Date.now())) won.push(i);
  process.stdout.write(`${JSON.stringify(won)}\n`);
  db.close();
  process.exit(0);
});
