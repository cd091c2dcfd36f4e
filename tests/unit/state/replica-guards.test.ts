import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../../../adapters/registry/pg-db.js';
import { exclusively } from '../../../adapters/registry/sql-db.js';
import { openSqlite } from '../../../adapters/registry/sqlite-db.js';
import { runtimeConfigSchema } from '../../../bots/runtime/config.js';
import { createBotRuntime } from '../../../bots/runtime/create-runtime.js';
import { checkRole, claimEmbeddedStoreWriter } from '../../../bots/wiring/replica-guard.js';
import { configSchema } from '../../../core/config/schema.js';
import { isTeamKbError } from '../../../core/errors.js';
import { startTestPostgres } from '../../helpers/postgres.js';
import { FakeAnswerService } from '../runtime/fakes/fake-answer-service.js';
import { FakeKbService } from '../runtime/fakes/fake-kb-service.js';

/** What keeps replicas on one PostgreSQL from stepping on each other. */
const pg = await startTestPostgres('the replica guard tests');
afterAll(() => pg?.stop());
const maybe = pg ? it : it.skip;

describe('replica guards', () => {
  maybe('a second server with the embedded store on the same database is refused, until the first one is gone', () => {
    const url = (pg as NonNullable<typeof pg>).newDatabase();
    const first = openPostgres(url);
    const second = openPostgres(url);
    claimEmbeddedStoreWriter(first, 'embedded');
    claimEmbeddedStoreWriter(first, 'embedded');
    let refusal: unknown;
    try {
      claimEmbeddedStoreWriter(second, 'embedded');
    } catch (err) {
      refusal = err;
    }
    expect(isTeamKbError(refusal, 'CONFIG_INVALID')).toBe(true);
    expect((refusal as Error).message).toMatch(/single writer.*TEAMKB_STORE=milvus/);
    // Milvus takes any number of replicas.
    expect(() => claimEmbeddedStoreWriter(second, 'milvus')).not.toThrow();
    first.close();
    expect(() => claimEmbeddedStoreWriter(second, 'embedded')).not.toThrow();
    second.close();
  });

  it('web and worker roles are refused without PostgreSQL, naming the settings; one server on SQLite is fine', () => {
    const config = (basic: Record<string, unknown>) => configSchema.parse({ basic: { dataDir: '/tmp/kb', ...basic } });
    for (const role of ['web', 'worker']) {
      expect(() => checkRole(config({ role }))).toThrow(new RegExp(`TEAMKB_ROLE=${role} needs TEAMKB_DATABASE_URL`));
      expect(() => checkRole(config({ role, databaseUrl: 'postgres://db/teamkb' }))).not.toThrow();
    }
    expect(() => checkRole(config({}))).not.toThrow();
  });

  it('one process on SQLite is never refused', () => {
    const db = openSqlite(':memory:');
    expect(() => claimEmbeddedStoreWriter(db, 'embedded')).not.toThrow();
    db.close();
  });

  maybe('a chore runs in one replica at a time: the other skips it while it runs', async () => {
    const url = (pg as NonNullable<typeof pg>).newDatabase();
    const a = openPostgres(url);
    const b = openPostgres(url);
    let release: () => void = () => undefined;
    const running = exclusively(a, 'chore', () => new Promise<string>((resolve) => (release = () => resolve('a did it'))));
    expect(await exclusively(b, 'chore', async () => 'b did it')).toBeUndefined();
    release();
    expect(await running).toBe('a did it');
    expect(await exclusively(b, 'chore', async () => 'b did it')).toBe('b did it');
    a.close();
    b.close();
  });

  maybe('the question rate limit counts across replicas', async () => {
    const url = (pg as NonNullable<typeof pg>).newDatabase();
    const replica = () => {
      const kb = new FakeKbService();
      const db = openPostgres(url);
      const runtime = createBotRuntime({
        kb,
        answers: new FakeAnswerService(kb),
        db,
        config: runtimeConfigSchema.parse({ purgeIntervalMinutes: 0, rateLimitPerMinute: 2 }),
        logger: pino({ level: 'silent' }),
      });
      return { db, runtime };
    };
    const [a, b] = [replica(), replica()];
    const user = { platform: 'slack', user: 'U1' };
    a?.runtime.services.rateLimiter.take(user);
    b?.runtime.services.rateLimiter.take(user);
    expect(() => a?.runtime.services.rateLimiter.take(user)).toThrow(expect.objectContaining({ code: 'RATE_LIMITED' }));
    expect(() => b?.runtime.services.rateLimiter.take(user)).toThrow(expect.objectContaining({ code: 'RATE_LIMITED' }));
    b?.runtime.services.rateLimiter.take({ platform: 'slack', user: 'U2' });
    for (const r of [a, b]) {
      r?.runtime.close();
      r?.db.close();
    }
  });
});
