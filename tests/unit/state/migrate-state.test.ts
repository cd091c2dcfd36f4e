import { afterAll, describe, expect, it } from 'vitest';
import { copyState, STATE_TABLES } from '../../../adapters/registry/copy-state.js';
import { openPostgres } from '../../../adapters/registry/pg-db.js';
import { createSqlRegistry } from '../../../adapters/registry/sql-registry.js';
import { openSqlite } from '../../../adapters/registry/sqlite-db.js';
import { ApiKeyStore } from '../../../bots/access/api-keys.js';
import { ConversationStore } from '../../../bots/state/conversation-store.js';
import { migrateAllState } from '../../../bots/state/migrate-all.js';
import { TempKbStore } from '../../../bots/state/temp-kb-store.js';
import { startTestPostgres } from '../../helpers/postgres.js';

/** Moving an embedded installation's state to PostgreSQL (`kb migrate-state`). */
const pg = await startTestPostgres('the state migration tests');
afterAll(() => pg?.stop());

const T0 = Date.UTC(2026, 0, 1);
const KEY = { platform: 'slack', workspace: 'T1', channel: 'C1', thread: '' };

const migrated = migrateAllState;

(pg ? describe : describe.skip)('copying SQLite state into PostgreSQL', () => {
  it('copies every table with counts verified; stores on PostgreSQL read the same and carry on numbering', () => {
    const from = migrated(openSqlite(':memory:'));
    const registry = createSqlRegistry(from);
    registry.createKb({ name: 'handbook', embedder: 'fake:64', dim: 64, store: 'embedded' });
    registry.upsertFile({
      id: 'f1',
      kb: 'handbook',
      name: 'vpn.md',
      sha256: 's',
      size: 10,
      status: 'ready',
      error: null,
      chunks: 3,
    });
    registry.updateJob(registry.createJob('handbook', 'ingest').id, { status: 'done' });
    const conversations = new ConversationStore(from);
    for (const n of [1, 2]) {
      conversations.addTurn(
        KEY,
        { user: 'U1', question: `q${n}`, answer: `a${n}`, citations: [], sources: [], mode: 'kb', answerId: `ans-${n}` },
        T0 + n,
      );
    }
    const temp = new TempKbStore(from);
    const id = conversations.idOf(KEY) as number;
    for (const kb of ['tmp-z', 'tmp-a']) temp.add(kb, id, T0, T0 + 1000);
    const { key } = new ApiKeyStore(from, () => T0).create('ci', ['read']);

    const to = migrated(openPostgres((pg as NonNullable<typeof pg>).newDatabase()));
    const copied = copyState(from, to);
    expect(copied.map((c) => c.table)).toEqual([...STATE_TABLES]);
    expect(Object.fromEntries(copied.map((c) => [c.table, c.rows]))).toMatchObject({
      knowledge_bases: 1,
      files: 1,
      jobs: 1,
      runtime_conversations: 1,
      runtime_turns: 2,
      runtime_temp_kbs: 2,
      access_api_keys: 1,
    });

    expect(createSqlRegistry(to).listFiles('handbook')).toEqual(registry.listFiles('handbook'));
    const moved = new ConversationStore(to);
    expect(moved.recentTurns(KEY, 5).map((t) => t.question)).toEqual(['q1', 'q2']);
    expect(new TempKbStore(to).all()).toEqual(['tmp-z', 'tmp-a']);
    expect(new ApiKeyStore(to).authenticate(key)).toMatchObject({ name: 'ci' });
    // New rows continue after the copied ids instead of colliding with them.
    const next = moved.ensure({ ...KEY, thread: 'new' }, T0);
    expect(next).toBeGreaterThan(id);
    moved.addTurn(
      KEY,
      { user: 'U1', question: 'q3', answer: 'a3', citations: [], sources: [], mode: 'kb', answerId: 'ans-3' },
      T0 + 3,
    );
    expect(moved.recentTurns(KEY, 5)).toHaveLength(3);
    new TempKbStore(to).add('tmp-new', id, T0, T0 + 1000);
    expect(new TempKbStore(to).all()).toEqual(['tmp-z', 'tmp-a', 'tmp-new']);

    // A second copy into a database with state is refused and changes nothing.
    expect(() => copyState(from, to)).toThrow(/already holds state/);
    expect(createSqlRegistry(to).listKbs()).toHaveLength(1);
    from.close();
    to.close();
  });
});
