import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * One memory measurement in a fresh process (run by memory.ts): prints one JSON line with RSS
 * figures in MiB. Phases: bare (node + loader only), idle (store and pipeline modules loaded, store
 * open), store <n> (n synthetic chunks loaded, then searched), ingest (the sample KB ingested).
 */
const mib = (bytes: number) => bytes / 2 ** 20;
const rss = () => mib(process.memoryUsage().rss);
const peak = () => mib(process.resourceUsage().maxRSS * 1024);

async function openStore() {
  const { createEmbeddedStore } = await import('../../adapters/stores/embedded/index.js');
  const dir = mkdtempSync(join(tmpdir(), 'teamkb-bench-mem-'));
  const store = await createEmbeddedStore({ dir });
  return { store, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

async function phaseIdle(): Promise<Record<string, number>> {
  await import('../../core/ingest/pipeline.js');
  await import('../../core/loaders/index.js');
  const { store, cleanup } = await openStore();
  await store.ensure('idle', 512);
  const result = { rss: rss(), peak: peak() };
  await store.close();
  cleanup();
  return result;
}

async function phaseStore(size: number): Promise<Record<string, number>> {
  const { syntheticCorpus } = await import('./_synthetic.js');
  const { store, cleanup } = await openStore();
  const before = rss();
  const corpus = syntheticCorpus({ size, dim: 512 });
  await store.ensure('mem', 512);
  const started = performance.now();
  for (let start = 0; start < size; start += 5000) {
    const batch = [];
    for (let i = start; i < Math.min(size, start + 5000); i++) {
      const c = corpus.chunk(i);
      batch.push({ ...c, meta: { source: `${c.fileId}.md` } });
    }
    await store.upsert('mem', batch);
  }
  await store.optimize('mem');
  const loadSeconds = (performance.now() - started) / 1000;
  const afterLoad = rss();
  for (let i = 0; i < 20; i++) {
    const q = corpus.query(i);
    await store.search('mem', { mode: 'hybrid', text: q.text, vector: q.vector, topK: 10 });
  }
  const result = { before, afterLoad, afterSearch: rss(), peak: peak(), loadSeconds };
  await store.close();
  cleanup();
  return result;
}

async function phaseIngest(real: boolean): Promise<Record<string, number | string>> {
  const { CHATCHAT_CONTENT, FIXTURE_EMBEDDER_DIR, generatedCorpus, ingestWithPipeline, listFiles } = await import(
    './_ingest-run.js'
  );
  const { createFakeEmbedder } = await import('../../adapters/models/embedder-fake.js');
  const inputs = existsSync(CHATCHAT_CONTENT) ? listFiles(CHATCHAT_CONTENT) : generatedCorpus(20, 20_000).inputs;
  let embedder = createFakeEmbedder(512);
  let embedderName = 'fake:512';
  if (real && existsSync(FIXTURE_EMBEDDER_DIR)) {
    const { createEmbedder } = await import('../../adapters/models/create-embedder.js');
    const created = await createEmbedder(`transformers:${FIXTURE_EMBEDDER_DIR}`, { modelsDir: resolve('models') });
    if (created) {
      embedder = created as typeof embedder;
      embedderName = 'bge-small-zh-v1.5';
    }
  }
  const before = rss();
  const measure = await ingestWithPipeline(inputs, embedder);
  return { before, after: rss(), peak: peak(), chunks: measure.chunks, seconds: measure.wall, embedder: embedderName };
}

const [phase, arg] = process.argv.slice(2);
const result =
  phase === 'bare'
    ? { rss: rss(), peak: peak() }
    : phase === 'idle'
      ? await phaseIdle()
      : phase === 'store'
        ? await phaseStore(Number(arg))
        : await phaseIngest(arg === 'real');
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
