import { describe, expect, it } from 'vitest';
import { CollectionCache } from '../../../adapters/stores/milvus/collections.js';
import { exprString, filterExpr } from '../../../adapters/stores/milvus/filter-expr.js';
import { collectionName, createMilvusStore } from '../../../adapters/stores/milvus/index.js';
import { toHits } from '../../../adapters/stores/milvus/results.js';
import { backoffDelay, withRetry } from '../../../adapters/stores/milvus/retry.js';
import { createCollectionRequest, dimensionOf, indexRequests, supportsFullText } from '../../../adapters/stores/milvus/schema.js';
import { isRetryable, storeError } from '../../../adapters/stores/milvus/status.js';
import { isTeamKbError } from '../../../core/errors.js';
import { vectorStoreContract } from '../../contract/vector-store.contract.js';
import { FakeMilvus } from './fake-milvus.js';
import { FakeMilvusServer } from './fake-milvus-grpc.js';

const noWait = { retries: 3, baseDelayMs: 0, maxDelayMs: 0 };
const address = process.env.MILVUS_ADDRESS;

// The real server, when one is configured.
vectorStoreContract(
  'milvus (server)',
  () => createMilvusStore({ address: address ?? '', token: process.env.MILVUS_TOKEN }),
  address ? {} : { skip: 'no Milvus server runs on this machine (set MILVUS_ADDRESS=host:19530 to run it)' },
);

// The store's own logic against an in-memory server at the SDK boundary.
vectorStoreContract('milvus (fake client)', () =>
  createMilvusStore({ address: 'fake:19530', makeClient: async () => new FakeMilvus(), retry: noWait, reconnectMs: 0 }),
);

// The same through the real SDK and gRPC, against a loopback endpoint that parses every filter
// expression as Milvus 2.5 does.
vectorStoreContract('milvus (gRPC fake, real SDK)', async () => {
  const server = new FakeMilvusServer();
  await server.start();
  const store = await createMilvusStore({ address: server.address, retry: noWait, reconnectMs: 0 });
  const close = store.close.bind(store);
  store.close = async () => {
    await close();
    await server.stop();
  };
  return store;
});

describe('milvus collection names', () => {
  it('maps any KB name to a valid, stable, distinct collection name', () => {
    const names = ['产品手册', 'Team Docs', 'team docs', '😀', 'a'.repeat(400), "x'; drop"];
    const mapped = names.map(collectionName);
    for (const name of mapped) expect(name).toMatch(/^[a-z][a-z0-9_]{0,254}$/);
    expect(new Set(mapped).size).toBe(names.length);
    expect(collectionName('产品手册')).toBe(collectionName('产品手册'));
    expect(collectionName('Team Docs')).toMatch(/^teamkb_team_docs_[0-9a-f]{12}$/);
  });
});

describe('milvus filter expressions', () => {
  it('quotes every value as one string literal', () => {
    expect(exprString('a"b\\c\nd')).toBe('"a\\"b\\\\c\\nd"');
    expect(filterExpr({ fileIds: ['x" or id != "'] })).toBe('file_id in ["x\\" or id != \\""]');
  });

  it('combines include and exclude lists, and knows when nothing can match', () => {
    expect(filterExpr(undefined)).toBe('');
    expect(filterExpr({ fileIds: [] })).toBeNull();
    expect(filterExpr({ fileIds: ['a'], excludeFileIds: ['b', '文件'] })).toBe(
      'file_id in ["a"] and not (file_id in ["b", "文件"])',
    );
    expect(filterExpr({ excludeFileIds: [] })).toBe('');
  });
});

describe('milvus schema', () => {
  it('builds a dense + BM25 collection with Strong consistency', () => {
    const plan = { name: 'teamkb_x', kb: 'x', dim: 512, fullText: true };
    const req = createCollectionRequest(plan) as { fields: { name: string }[]; functions: unknown[]; consistency_level: string };
    expect(req.fields.map((f) => f.name)).toEqual(['id', 'file_id', 'ordinal', 'text', 'meta', 'vector', 'sparse']);
    expect(req.functions).toHaveLength(1);
    expect(req.consistency_level).toBe('Strong');
    const indexes = indexRequests(plan) as { field_name: string; metric_type: string; index_type: string }[];
    expect(indexes.map((i) => [i.field_name, i.index_type, i.metric_type])).toEqual([
      ['vector', 'HNSW', 'COSINE'],
      ['sparse', 'SPARSE_INVERTED_INDEX', 'BM25'],
    ]);
  });

  it('makes keyword-only collections sparse-only and old servers dense-only', () => {
    const keywordOnly = createCollectionRequest({ name: 'n', kb: 'k', dim: null, fullText: true }) as {
      fields: { name: string }[];
    };
    expect(keywordOnly.fields.map((f) => f.name)).not.toContain('vector');
    const old = createCollectionRequest({ name: 'n', kb: 'k', dim: 8, fullText: false }) as {
      fields: { name: string }[];
      functions: unknown[];
    };
    expect(old.fields.map((f) => f.name)).not.toContain('sparse');
    expect(old.functions).toEqual([]);
  });

  it('asks for inverted_index_algo only where the server knows it (2.5.4+)', () => {
    const params = (indexAlgo: boolean) =>
      (indexRequests({ name: 'n', kb: 'k', dim: null, fullText: true, indexAlgo })[0] as { params: object }).params;
    expect(params(true)).toHaveProperty('inverted_index_algo');
    expect(params(false)).not.toHaveProperty('inverted_index_algo');
  });

  it('reads dimensions and versions', () => {
    expect(dimensionOf([{ name: 'vector', data_type: 'FloatVector', type_params: [{ key: 'dim', value: '384' }] }])).toBe(384);
    expect(dimensionOf([{ name: 'id', data_type: 'VarChar' }])).toBeNull();
    expect(supportsFullText('v2.5.11')).toBe(true);
    expect(supportsFullText('v2.5.10')).toBe(false);
    expect(supportsFullText('v2.5.4')).toBe(false);
    expect(supportsFullText('v3.0.0')).toBe(true);
    expect(supportsFullText('v2.4.15')).toBe(false);
    expect(supportsFullText('2.6.0-rc1')).toBe(true);
  });
});

describe('milvus result mapping', () => {
  it('puts cosine and raw BM25 on the common 0..1 scale, best first', () => {
    const rows = [
      { id: 'a', file_id: 'f', ordinal: 1, text: 't', meta: { source: 's' }, score: 0.5 },
      { id: 'b', file_id: 'f', ordinal: 2, text: 't', meta: '{"source":"s2","page":3}', score: 0.9 },
    ];
    const dense = toHits(rows, 'dense');
    expect(dense.map((h) => [h.chunk.id, h.score])).toEqual([
      ['b', 0.9],
      ['a', 0.5],
    ]);
    expect(dense[0]?.chunk.meta).toEqual({ source: 's2', page: 3 });
    const bm25 = toHits([{ ...rows[0], score: 10 }], 'bm25');
    expect(bm25[0]?.score).toBeCloseTo(0.5);
  });
});

describe('milvus collection cache', () => {
  it('trusts a description only for its time to live', () => {
    let now = 0;
    const cache = new CollectionCache(1000, () => now);
    const info = { name: 'teamkb_x', dim: 8, fullText: true, id: '1' };
    cache.set('x', info);
    now = 1000;
    expect(cache.get('x')).toBe(info);
    now = 1001;
    expect(cache.get('x')).toBeUndefined();
    cache.markLoaded(info);
    expect(cache.isLoaded({ ...info, id: '2' })).toBe(false);
    cache.forget('x', 'teamkb_x');
    expect(cache.isLoaded(info)).toBe(false);
  });
});

describe('milvus failures in words', () => {
  it('maps statuses, SDK-thrown responses and gRPC errors to stable codes', () => {
    const status = (s: object) => ({ status: s });
    expect(storeError(status({ code: 1401, reason: 'privilege not permitted' }), 'search', 'm:1').code).toBe('PERMISSION_DENIED');
    expect(storeError(status({ code: 8, error_code: 'RateLimit', reason: 'slow down' }), 'search', 'm:1').code).toBe(
      'RATE_LIMITED',
    );
    expect(storeError(new Error('ErrorCode: NotReadyServe. Reason: starting'), 'load', 'm:1').code).toBe('STORE_UNAVAILABLE');
    expect(storeError(Object.assign(new Error('16 UNAUTHENTICATED: bad token'), { code: 16 }), 'x', 'm:1').code).toBe(
      'PERMISSION_DENIED',
    );
    const failed = storeError(status({ code: 1100, reason: 'invalid parameter' }), 'write to "kb"', 'm:1');
    expect(failed.code).toBe('STORE_FAILED');
    expect(failed.message).toBe('Milvus at m:1 could not write to "kb": invalid parameter.');
  });
});

describe('milvus retries and connection errors', () => {
  it('retries transient failures and gives up on others', async () => {
    let calls = 0;
    const flaky = () =>
      ++calls < 3
        ? Promise.reject(Object.assign(new Error('14 UNAVAILABLE: no connection'), { code: 14 }))
        : Promise.resolve('ok');
    await expect(withRetry(flaky, noWait, async () => undefined)).resolves.toBe('ok');
    expect(calls).toBe(3);
    let permanent = 0;
    const bad = () => {
      permanent++;
      return Promise.reject(new Error('collection not found'));
    };
    await expect(withRetry(bad, noWait, async () => undefined)).rejects.toThrow('collection not found');
    expect(permanent).toBe(1);
    expect(isRetryable(new Error('rate limit exceeded'))).toBe(true);
    expect(backoffDelay({ retries: 5, baseDelayMs: 100, maxDelayMs: 1000 }, 10, () => 1)).toBe(1000);
    expect(backoffDelay({ retries: 5, baseDelayMs: 100, maxDelayMs: 1000 }, 1, () => 0.5)).toBe(100);
  });

  it('names the address and what to check when the server does not answer', async () => {
    const client = new FakeMilvus();
    client.failNext = Array.from({ length: 20 }, () =>
      Object.assign(new Error('14 UNAVAILABLE: connect ECONNREFUSED'), { code: 14 }),
    );
    const err = await createMilvusStore({
      address: 'milvus.local:19530',
      makeClient: async () => client,
      retry: noWait,
      requireConnection: true,
    }).catch((e: unknown) => e);
    expect(isTeamKbError(err, 'STORE_UNAVAILABLE')).toBe(true);
    expect((err as Error).message).toMatch(/milvus\.local:19530.*running/);
  });

  it('works dense-only on servers before 2.5 and says so', async () => {
    const client = new FakeMilvus('v2.4.9');
    const store = await createMilvusStore({
      address: 'old:19530',
      makeClient: async () => client,
      retry: noWait,
      reconnectMs: 0,
    });
    await store.ensure('kb', 2);
    const create = client.calls.find((c) => c.method === 'createCollection')?.req as { functions: unknown[] };
    expect(create.functions).toEqual([]);
    await store.upsert('kb', [
      { id: 'a', fileId: 'f', ordinal: 0, text: 'hello', meta: { source: 's' }, vector: Float32Array.from([1, 0]) },
    ]);
    const hybrid = await store.search('kb', { mode: 'hybrid', text: 'hello', vector: Float32Array.from([1, 0]), topK: 1 });
    expect(hybrid[0]?.chunk.id).toBe('a');
    await expect(store.search('kb', { mode: 'bm25', text: 'hello', topK: 1 })).rejects.toThrow(/2\.5/);
    await expect(store.ensure('keywords', null)).rejects.toThrow(/keyword-only/);
  });
});
