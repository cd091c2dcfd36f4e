import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeEmbedder } from '../../../adapters/models/embedder-fake.js';
import { createSqlRegistry } from '../../../adapters/registry/sql-registry.js';
import { openSqlite } from '../../../adapters/registry/sqlite-db.js';
import { createEmbeddedStore } from '../../../adapters/stores/embedded/index.js';
import type { CoreServices } from '../../../bots/app-services.js';
import type { Embedder } from '../../../core/embedder.js';
import { createKbService, type KbServiceDeps, type LocalKbService } from '../../../core/kb/service.js';
import type { SearchHit } from '../../../core/kb-service.js';
import { createLoaders } from '../../../core/loaders/index.js';
import type { Reranker } from '../../../core/reranker.js';
import { openTestCore } from '../../helpers/core.js';

const GOLD = 'Ask the admin desk to issue fresh credentials for the tunnel.';

/** A deterministic reranker: the gold passage scores `gold`, every other passage `other`; records what it saw. */
function markerReranker(gold = 0.9, other = 0.3) {
  const seen: string[][] = [];
  const reranker: Reranker = {
    id: 'test:marker',
    async rerank(_query, passages) {
      seen.push(passages);
      return passages.map((p) => (p.includes('admin desk') ? gold : other));
    },
  };
  return { reranker, seen };
}

const failingReranker: Reranker = {
  id: 'test:broken',
  async rerank() {
    throw new Error('onnx session crashed');
  },
};

interface Fixture {
  dir: string;
  deps: KbServiceDeps;
  close(): Promise<void>;
}

/** A real KB service (SQLite registry, embedded store) holding one KB "docs"; embedder null → keyword-only. */
async function openFixture(embedder: Embedder | null, files: Array<[string, string]>): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), 'teamkb-rerank-'));
  const db = openSqlite(join(dir, 'teamkb.sqlite'));
  const store = await createEmbeddedStore({ dir });
  const deps: KbServiceDeps = {
    registry: createSqlRegistry(db),
    store,
    embedder,
    loader: createLoaders({ ocrEngine: 'none' }),
    filesDir: join(dir, 'kbs'),
    settings: { chunkSize: 500, chunkOverlap: 80, maxFileBytes: 2 ** 20, embedBatchSize: 16 },
    search: { topK: 3, scoreThreshold: 0, mode: 'hybrid' },
  };
  const kb = createKbService(deps);
  await kb.createKb('docs');
  await kb.ingestUploads(
    'docs',
    files.map(([name, text]) => ({ name, bytes: Buffer.from(text, 'utf8') })),
  );
  return {
    dir,
    deps,
    async close() {
      await store.close();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function withReranker(fixture: Fixture, reranker: Reranker | null, extra: Partial<KbServiceDeps> = {}): LocalKbService {
  return createKbService({ ...fixture.deps, reranker, ...extra });
}

// Retrieval ranks the strong notes first, the gold passage next, the filler last; every file mentions VPN.
const corpus: Array<[string, string]> = [
  ['gold.txt', `VPN key help. ${GOLD}`],
  ...Array.from({ length: 5 }, (_, i): [string, string] => [
    `strong-${i}.txt`,
    `VPN key note ${i}: rotate the VPN key on schedule; VPN key owners of team ${i} rotate it.`,
  ]),
  ...Array.from({ length: 24 }, (_, i): [string, string] => [`filler-${i}.txt`, `VPN office hours for team ${i}.`]),
];
const QUERY = 'how do I rotate my VPN key';
const sources = (hits: SearchHit[]) => hits.map((h) => h.chunk.meta.source);

describe('KB search with a reranker', () => {
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await openFixture(createFakeEmbedder(64), corpus);
  }, 60_000);
  afterAll(async () => fixture?.close());

  it('reorders the candidates by the reranker, shows its relevance as the score and keeps topK', async () => {
    const baseline = await withReranker(fixture, null).search(['docs'], QUERY);
    expect(sources(baseline)).not.toContain('gold.txt');
    const { reranker, seen } = markerReranker();
    const hits = await withReranker(fixture, reranker).search(['docs'], QUERY);
    expect(hits).toHaveLength(3);
    expect(hits[0]?.chunk.meta.source).toBe('gold.txt');
    expect(hits.map((h) => h.score)).toEqual([0.9, 0.3, 0.3]);
    expect(seen[0]?.some((p) => p.includes('admin desk'))).toBe(true);
  });

  it('hands the reranker max(topK × 4, 20) candidates when the KB has them', async () => {
    const { reranker, seen } = markerReranker();
    const kb = withReranker(fixture, reranker);
    await kb.search(['docs'], QUERY, { topK: 3 });
    await kb.search(['docs'], QUERY, { topK: 6 });
    await kb.search(['docs'], QUERY, { topK: 10 });
    expect(seen.map((s) => s.length)).toEqual([20, 24, 30]);
  });

  it('applies the score threshold to the reranked scores', async () => {
    const { reranker } = markerReranker(0.97, 0.3);
    const baseline = await withReranker(fixture, null).search(['docs'], QUERY, { scoreThreshold: 0.95 });
    expect(baseline).toEqual([]);
    const hits = await withReranker(fixture, reranker).search(['docs'], QUERY, { scoreThreshold: 0.5 });
    expect(sources(hits)).toEqual(['gold.txt']);
    const strict = await withReranker(fixture, reranker).search(['docs'], QUERY, { scoreThreshold: 0.95 });
    expect(sources(strict)).toEqual(['gold.txt']);
  });

  it('falls back to the retrieval order with a warning when the reranker fails', async () => {
    const baseline = await withReranker(fixture, null).search(['docs'], QUERY);
    const warnings: string[] = [];
    const hits = await withReranker(fixture, failingReranker, { warn: (m) => warnings.push(m) }).search(['docs'], QUERY);
    expect(hits.map((h) => [h.chunk.id, h.score])).toEqual(baseline.map((h) => [h.chunk.id, h.score]));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('test:broken');
    expect(warnings[0]).toContain('onnx session crashed');
  });

  it('falls back too when the reranker returns the wrong number of scores', async () => {
    const short: Reranker = { id: 'test:short', rerank: async () => [1] };
    const warnings: string[] = [];
    const hits = await withReranker(fixture, short, { warn: (m) => warnings.push(m) }).search(['docs'], QUERY);
    expect(hits).toHaveLength(3);
    expect(warnings[0]).toContain('test:short');
  });
});

describe('keyword-only KB search with a reranker', () => {
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await openFixture(null, corpus.slice(0, 8));
  }, 60_000);
  afterAll(async () => fixture?.close());

  it('reranks bm25 candidates', async () => {
    const { reranker, seen } = markerReranker();
    const hits = await withReranker(fixture, reranker).search(['docs'], QUERY);
    expect(hits[0]?.chunk.meta.source).toBe('gold.txt');
    expect(hits[0]?.score).toBe(0.9);
    expect(seen[0]).toHaveLength(8);
  });
});

describe('reranker wiring from configuration', () => {
  let core: CoreServices | undefined;
  afterAll(async () => core?.close());

  it('uses TEAMKB_RERANKER for every search', async () => {
    ({ core } = await openTestCore({ TEAMKB_RERANKER: 'fake' }));
    expect(core.reranker?.id).toBe('fake:term-overlap');
    expect(core.kb.reranker).toBe(core.reranker);
    await core.kb.createKb('docs');
    await core.kb.ingestUploads('docs', [
      { name: 'a.txt', bytes: Buffer.from('The VPN key is rotated monthly.') },
      { name: 'b.txt', bytes: Buffer.from('Lunch is served at noon.') },
    ]);
    const hits = await core.kb.search(['docs'], 'VPN key', { mode: 'bm25' });
    expect(hits[0]?.chunk.meta.source).toBe('a.txt');
    expect(hits[0]?.score).toBe(1);
  });

  it('reports a reranker that cannot load as a problem and searches without it', async () => {
    await core?.close();
    const modelsDir = mkdtempSync(join(tmpdir(), 'teamkb-models-'));
    ({ core } = await openTestCore({ TEAMKB_RERANKER: 'bge-reranker-base', TEAMKB_MODELS_DIR: modelsDir }));
    expect(core.reranker).toBeNull();
    expect(core.rerankerProblem).toContain('npm run models -- pull bge-reranker-base');
    await core.kb.createKb('docs');
    await core.kb.ingestUploads('docs', [{ name: 'a.txt', bytes: Buffer.from('The VPN key is rotated monthly.') }]);
    expect(sources(await core.kb.search(['docs'], 'VPN key'))).toEqual(['a.txt']);
  });
});
