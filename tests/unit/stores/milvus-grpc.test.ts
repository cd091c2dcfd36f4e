import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { collectionName, createMilvusStore, type MilvusStore } from '../../../adapters/stores/milvus/index.js';
import type { CoreServices } from '../../../bots/core-services.js';
import { healthOf } from '../../../bots/health.js';
import { isTeamKbError } from '../../../core/errors.js';
import { FakeMilvusServer, freePort, STATUS } from './fake-milvus-grpc.js';

// The real SDK (gRPC client, request building, response parsing) against a loopback endpoint.
const retry = { retries: 3, baseDelayMs: 1, maxDelayMs: 5 };
const KB = 'handbook "q\'';
const vector = (axis: number) => Array.from({ length: 8 }, (_, i) => (i === axis ? 1 : 0));
const row = (id: string) => ({ id, file_id: 'f', ordinal: 0, text: `text ${id}`, meta: { source: 's.md' }, vector: vector(0) });

let fake: FakeMilvusServer;
let store: MilvusStore;
const open = (opts: { collectionTtlMs?: number } = {}) =>
  createMilvusStore({ address: fake.address, retry, reconnectMs: 0, ...opts });
const health = (s: MilvusStore) => healthOf({ store: s, llmProblems: [] } as unknown as CoreServices);

beforeEach(async () => {
  fake = new FakeMilvusServer();
  await fake.start();
  store = await open();
  await store.ensure(KB, 8);
  fake.seed(collectionName(KB), [row('a'), row('b'), row('c')]);
});

afterEach(async () => {
  await store.close().catch(() => undefined);
  await fake.stop();
});

describe('milvus statuses through the real SDK', () => {
  it('retries rate-limited and not-ready answers instead of reading them as "no such KB"', async () => {
    const fresh = await open({ collectionTtlMs: 0 });
    fake.fail('DescribeCollection', STATUS.rateLimited, 2);
    fake.fail('Query', STATUS.notReady, 2);
    expect(await fresh.count(KB)).toBe(3);
    expect(fake.count('Query')).toBe(3);
    await fresh.close();
  });

  it('turns refusals into typed errors in words, shown by /healthz until the server answers again', async () => {
    const fresh = await open();
    fake.fail('DescribeCollection', STATUS.denied, Number.POSITIVE_INFINITY);
    const err = await fresh
      .search(KB, { mode: 'hybrid', text: 'x', vector: Float32Array.from(vector(0)), topK: 3 })
      .catch((e) => e);
    expect(isTeamKbError(err, 'PERMISSION_DENIED')).toBe(true);
    expect(err.message).toMatch(/refused to look up knowledge base .*privilege not permitted/);
    await expect(fresh.count(KB)).rejects.toThrow(/privilege/);
    await expect(fresh.deleteByFile(KB, 'f')).rejects.toThrow(/privilege/);
    expect(health(fresh)).toEqual({ status: 'degraded', reasons: [expect.stringMatching(/privilege not permitted/)] });
    fake.heal();
    expect(await fresh.count(KB)).toBe(3);
    expect(health(fresh).status).toBe('ready');
    await fresh.close();
  });

  it('gives up after the retry bound with STORE_UNAVAILABLE, and names a missing database', async () => {
    const fresh = await open();
    const before = fake.count('DescribeCollection');
    fake.fail('DescribeCollection', STATUS.notReady, Number.POSITIVE_INFINITY);
    await expect(fresh.count(KB)).rejects.toSatisfy((e) => isTeamKbError(e, 'STORE_UNAVAILABLE'));
    expect(fake.count('DescribeCollection') - before).toBe(1 + retry.retries);
    fake.heal();
    fake.fail('DescribeCollection', STATUS.rateLimited, Number.POSITIVE_INFINITY);
    await expect(fresh.count(KB)).rejects.toSatisfy((e) => isTeamKbError(e, 'RATE_LIMITED'));
    fake.heal();
    fake.fail('DescribeCollection', STATUS.noDatabase, 1);
    await expect(fresh.search(KB, { mode: 'dense', vector: Float32Array.from(vector(0)), topK: 1 })).rejects.toThrow(
      /database not found/,
    );
    await fresh.close();
  });

  it('reads only "collection not found" as an empty KB', async () => {
    expect(await store.search('absent', { mode: 'bm25', text: 'x', topK: 3 })).toEqual([]);
    expect(await store.count('absent')).toBe(0);
    expect(await store.deleteByFile('absent', 'f')).toBe(0);
    await expect(
      store.upsert('absent', [{ id: 'x', fileId: 'f', ordinal: 0, text: 't', meta: { source: 's' } }]),
    ).rejects.toSatisfy((e) => isTeamKbError(e, 'KB_NOT_FOUND'));
    expect(health(store).status).toBe('ready');
  });

  it('notices a KB dropped or recreated by another process', async () => {
    expect(await store.count(KB)).toBe(3);
    const loads = fake.count('LoadCollection');
    fake.replace(collectionName(KB), false);
    expect(await store.count(KB)).toBe(0);
    expect(await store.search(KB, { mode: 'dense', vector: Float32Array.from(vector(0)), topK: 1 })).toEqual([]);
    await store.ensure(KB, 8);
    fake.replace(collectionName(KB), true);
    // Search of the recreated, not yet loaded collection: the store reads it afresh and loads it.
    expect(await store.search(KB, { mode: 'dense', vector: Float32Array.from(vector(0)), topK: 1 })).toEqual([]);
    expect(fake.count('LoadCollection')).toBe(loads + 2);
  });

  it('asks for complete lists in a small KB, counting its rows once', async () => {
    const rows = Array.from({ length: 450 }, (_, i) => row(`r${i}`));
    fake.seed(collectionName(KB), rows);
    const topks = () =>
      fake.calls
        .filter((c) => c.method === 'Search')
        .map((c) => Number((c.req.search_params as { key: string; value: string }[]).find((p) => p.key === 'topk')?.value));
    const search = () => store.search(KB, { mode: 'hybrid', text: 'x', vector: Float32Array.from(vector(0)), topK: 5 });
    await search();
    const counted = fake.count('Query');
    await search();
    expect(fake.count('Query')).toBe(counted);
    expect(topks()).toEqual([453, 453, 453, 453]);
  });

  it('caps search depth at the server limit of 16,384', async () => {
    await store.search(KB, { mode: 'hybrid', text: 'x', vector: Float32Array.from(vector(0)), topK: 10_000 });
    const topks = fake.calls
      .filter((c) => c.method === 'Search')
      .map((c) => Number((c.req.search_params as { key: string; value: string }[]).find((p) => p.key === 'topk')?.value));
    expect(topks).toEqual([16_384, 16_384]);
  });
});

describe('milvus scans and collection set-up through the real SDK', () => {
  it('pages by primary key with escaped bounds and yields no row twice after a failed page', async () => {
    fake.seed(collectionName(KB), [row('b"\\ or id != "'), row('d'), row('e')]);
    let pages = 0;
    const seen: string[] = [];
    for await (const page of store.scan(KB, 3)) {
      if (++pages === 1) fake.fail('Query', STATUS.rateLimited, 1);
      seen.push(...page.map((c) => c.id));
    }
    expect(seen).toEqual(['a', 'b', 'b"\\ or id != "', 'c', 'd', 'e']);
    const filters = fake.calls.filter((c) => c.method === 'Query').map((c) => c.req.expr);
    // The failed second page is asked again with the same escaped bound, not from the start.
    expect(filters).toEqual(['', ...Array(2).fill('id > "b\\"\\\\ or id != \\""'), 'id > "e"']);
  });

  it("reads a chunk by id and a file's chunks by ordinal with expressions Milvus 2.5 parses", async () => {
    const odd = 'f "x" \\ 文件\n';
    const at = (id: string, file: string, ordinal: number) => ({
      ...row(id),
      file_id: file,
      ordinal,
      meta: { source: 's.md', page: 2 },
    });
    fake.seed(collectionName(KB), [at('id "q" \\ 😀', odd, 1), at('n0', odd, 0), at('n2', odd, 2), at('other', 'g', 1)]);
    expect(await store.chunkById(KB, 'id "q" \\ 😀')).toEqual({
      id: 'id "q" \\ 😀',
      fileId: odd,
      ordinal: 1,
      text: 'text id "q" \\ 😀',
      meta: { source: 's.md', page: 2 },
    });
    expect(await store.chunkById(KB, 'missing')).toBeUndefined();
    expect(await store.chunkById('absent', 'a')).toBeUndefined();
    const around = await store.chunksAt(KB, odd, [0, 2, 3, -1, 0.5]);
    expect(around.map((c) => [c.id, c.ordinal]).sort()).toEqual([
      ['n0', 0],
      ['n2', 2],
    ]);
    expect(await store.chunksAt(KB, odd, [])).toEqual([]);
    const exprs = fake.calls.filter((c) => c.method === 'Query').map((c) => c.req.expr);
    expect(exprs).toContain('id in ["id \\"q\\" \\\\ 😀"]');
    expect(exprs).toContain('file_id == "f \\"x\\" \\\\ 文件\\n" and ordinal in [0, 2, 3]');
  });

  it('surfaces an expression the server refuses as a typed error, not as "no such chunk"', async () => {
    fake.fail('Query', { error_code: 'UnexpectedError', reason: 'cannot parse expression: id in [', code: 1100 }, 1);
    await expect(store.chunkById(KB, 'a')).rejects.toSatisfy((e) => isTeamKbError(e, 'STORE_FAILED'));
  });

  it('repairs a collection whose index creation failed half-way', async () => {
    fake.fail('CreateIndex', STATUS.internal, 1);
    await expect(store.ensure('half', 8)).rejects.toSatisfy((e) => isTeamKbError(e, 'STORE_FAILED'));
    const name = collectionName('half');
    expect(fake.collections.get(name)?.loaded).toBe(false);
    await store.ensure('half', 8);
    expect(
      fake.collections
        .get(name)
        ?.indexes.map((i) => i.field_name)
        .sort(),
    ).toEqual(['sparse', 'vector']);
    expect(fake.collections.get(name)?.loaded).toBe(true);
    expect(await store.count('half')).toBe(0);
  });

  it('adopts a collection another replica created a moment earlier', async () => {
    const other = await open();
    await other.ensure('shared', 8);
    const mine = await open();
    // This store has not seen it yet, and its create loses the race.
    fake.fail('DescribeCollection', STATUS.notFound, 1);
    fake.fail('CreateCollection', { ...STATUS.internal, reason: 'collection already exists' }, 1);
    await mine.ensure('shared', 8);
    await expect(mine.ensure('shared', 4)).rejects.toSatisfy((e) => isTeamKbError(e, 'DIMENSION_MISMATCH'));
    await Promise.all([other.close(), mine.close()]);
  });

  it('refuses keyword-only KBs on servers before 2.5.11 and leaves inverted_index_algo to 2.5.4+', async () => {
    fake.version = 'v2.5.10';
    const old = await open();
    await expect(old.ensure('keywords', null)).rejects.toThrow(/keyword-only .*needs Milvus 2\.5\.11 or later/);
    await old.ensure('dense', 8);
    const created = fake.calls.filter((c) => c.method === 'CreateIndex').map((c) => JSON.stringify(c.req.extra_params));
    expect(created.at(-1)).toMatch(/HNSW/);
    expect(fake.collections.get(collectionName('dense'))?.schema.functions).toEqual([]);
    const modern = fake.collections.get(collectionName(KB))?.indexes.find((i) => i.field_name === 'sparse');
    expect(JSON.stringify(modern?.params)).toMatch(/inverted_index_algo/);
    await old.close();
  });
});

describe('milvus connection through the real SDK', () => {
  it('starts before Milvus, reports it, and picks the server up without a restart', async () => {
    const port = await freePort();
    // One retry: each connection attempt to a closed port costs the SDK's own retries too.
    const late = await createMilvusStore({ address: `127.0.0.1:${port}`, retry: { ...retry, retries: 1 }, reconnectMs: 0 });
    expect(late.problem).toMatch(new RegExp(`127\\.0\\.0\\.1:${port}.*running`));
    expect(health(late).status).toBe('degraded');
    await expect(late.count(KB)).rejects.toSatisfy((e) => isTeamKbError(e, 'STORE_UNAVAILABLE'));
    const server = new FakeMilvusServer();
    await server.start(port);
    try {
      expect(await late.count('anything')).toBe(0);
      expect(late.problem).toBeUndefined();
      await server.stop();
      await expect(late.count('anything')).rejects.toSatisfy((e) => isTeamKbError(e, 'STORE_UNAVAILABLE'));
      expect(late.problem).toMatch(/not available|Cannot reach/);
      await server.start(port);
      expect(await late.count('anything')).toBe(0);
      expect(health(late).status).toBe('ready');
    } finally {
      await late.close();
      await server.stop();
    }
  });

  it('clears the /healthz problem in the background once a late server answers', async () => {
    const port = await freePort();
    const late = await createMilvusStore({ address: `127.0.0.1:${port}`, retry: { ...retry, retries: 0 }, reconnectMs: 50 });
    expect(health(late).status).toBe('degraded');
    const server = new FakeMilvusServer();
    await server.start(port);
    try {
      await vi.waitFor(() => expect(health(late).status).toBe('ready'), { timeout: 20_000, interval: 50 });
      expect(server.count('GetVersion')).toBeGreaterThan(0);
    } finally {
      await late.close();
      await server.stop();
    }
  });
});
