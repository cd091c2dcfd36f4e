import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join, relative } from 'node:path';
import { createSqlRegistry } from '../../adapters/registry/sql-registry.js';
import { openSqlite } from '../../adapters/registry/sqlite-db.js';
import { createEmbeddedStore } from '../../adapters/stores/embedded/index.js';
import type { Embedder } from '../../core/embedder.js';
import { ingestFiles } from '../../core/ingest/pipeline.js';
import type { IngestInput, IngestSettings, StageTimes } from '../../core/ingest/types.js';
import { createKbService } from '../../core/kb/service.js';
import { createLoaders } from '../../core/loaders/index.js';
import { splitDocument } from '../../core/text/splitter.js';
import { SHARED_FIXTURES } from './_kb-fixture.js';
import { prng } from './_synthetic.js';

export const CHATCHAT_CONTENT = join(SHARED_FIXTURES, 'docs/chatchat-samples/content');
export const FIXTURE_EMBEDDER_DIR = join(SHARED_FIXTURES, 'models/bge-small-zh-v1.5');
export const SETTINGS: IngestSettings = { chunkSize: 500, chunkOverlap: 80, maxFileBytes: 100 * 2 ** 20, embedBatchSize: 16 };

export function listFiles(root: string): IngestInput[] {
  const out: IngestInput[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) out.push({ name: relative(root, path), path, size: statSync(path).size });
    }
  };
  walk(root);
  return out;
}

/** Markdown files of mixed Chinese/English prose, for machines without the sample KB. */
export function generatedCorpus(files: number, charsPerFile: number): { inputs: IngestInput[]; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'teamkb-bench-docs-'));
  const random = prng(7);
  const words = ['知识库', '检索', '向量', '模型', '文档', '团队', '配置', '部署', 'index', 'query', 'chunk', 'embedding'];
  for (let f = 0; f < files; f++) {
    let text = `# 文档 ${f}\n\n`;
    while (text.length < charsPerFile) {
      let sentence = '';
      for (let w = 0; w < 12; w++) sentence += words[Math.floor(random() * words.length)];
      text += `${sentence}。${random() < 0.15 ? `\n\n## 小节 ${text.length}\n\n` : ''}`;
    }
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `doc-${f}.md`), text);
  }
  return { inputs: listFiles(dir), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Wraps an embedder to measure wall time with at least one embed call running (model compute). */
export function timedEmbedder(embedder: Embedder): Embedder & { busySeconds: () => number } {
  let active = 0;
  let since = 0;
  let busy = 0;
  return {
    id: embedder.id,
    dim: embedder.dim,
    async embed(texts, kind, signal) {
      if (active++ === 0) since = performance.now();
      try {
        return await embedder.embed(texts, kind, signal);
      } finally {
        if (--active === 0) busy += performance.now() - since;
      }
    },
    busySeconds: () => busy / 1000,
  };
}

export interface IngestMeasure {
  files: number;
  failed: string[];
  chunks: number;
  wall: number;
  times: StageTimes;
  /** Seconds during which the embedding model was computing. */
  model: number;
}

async function withKb<T>(embedder: Embedder, fn: (ctx: Awaited<ReturnType<typeof openKb>>) => Promise<T>): Promise<T> {
  const ctx = await openKb(embedder);
  try {
    return await fn(ctx);
  } finally {
    await ctx.close();
  }
}

async function openKb(embedder: Embedder) {
  const dir = mkdtempSync(join(tmpdir(), 'teamkb-bench-ingest-'));
  const db = openSqlite(join(dir, 'teamkb.sqlite'));
  const registry = createSqlRegistry(db);
  const store = await createEmbeddedStore({ dir: join(dir, 'store') });
  const loader = createLoaders();
  const kb = createKbService({
    registry,
    store,
    embedder,
    loader,
    filesDir: join(dir, 'kbs'),
    settings: SETTINGS,
    search: { topK: 5, scoreThreshold: 0, mode: 'hybrid' },
  });
  await kb.createKb('bench');
  return {
    registry,
    store,
    loader,
    close: async () => {
      await store.close().catch(() => undefined);
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Our pipeline as the product runs it: ingestFiles (parallel parse, batched embed, batched writes). */
export function ingestWithPipeline(inputs: IngestInput[], embedder: Embedder): Promise<IngestMeasure> {
  const timed = timedEmbedder(embedder);
  return withKb(timed, async ({ registry, store, loader }) => {
    const started = performance.now();
    const run = await ingestFiles({ registry, store, embedder: timed, loader, settings: SETTINGS }, 'bench', inputs);
    return {
      files: run.ingested.length,
      failed: run.failed.map((f) => `${f.file}: ${f.reason}`),
      chunks: run.chunks,
      wall: (performance.now() - started) / 1000,
      times: run.times,
      model: timed.busySeconds(),
    };
  });
}

/** The naive way, for comparison: one file at a time, one chunk per embed call, one store write per chunk. */
export function ingestNaively(inputs: IngestInput[], embedder: Embedder): Promise<IngestMeasure> {
  const timed = timedEmbedder(embedder);
  return withKb(timed, async ({ store, loader }) => {
    const times: StageTimes = { parse: 0, split: 0, embed: 0, store: 0 };
    const failed: string[] = [];
    let chunks = 0;
    let files = 0;
    const started = performance.now();
    const lap = (stage: keyof StageTimes, since: number) => {
      times[stage] += (performance.now() - since) / 1000;
      return performance.now();
    };
    for (const input of inputs) {
      try {
        let t = performance.now();
        const bytes = await readFile(input.path);
        const doc = await loader.load({ name: input.name, extension: extname(input.name).slice(1).toLowerCase(), bytes });
        t = lap('parse', t);
        const pieces = splitDocument(doc, SETTINGS);
        t = lap('split', t);
        for (const [ordinal, piece] of pieces.entries()) {
          t = performance.now();
          const [vector] = await timed.embed([piece.text], 'passage');
          t = lap('embed', t);
          await store.upsert('bench', [
            { id: `${input.name}#${ordinal}`, fileId: input.name, ordinal, text: piece.text, meta: piece.meta, vector },
          ]);
          lap('store', t);
          chunks++;
        }
        files++;
      } catch (err) {
        failed.push(`${input.name}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    return { files, failed, chunks, wall: (performance.now() - started) / 1000, times, model: timed.busySeconds() };
  });
}

/** Characters of text the loaders get out of the inputs (for the report). */
export function totalBytes(inputs: IngestInput[]): number {
  return inputs.reduce((n, i) => n + i.size, 0);
}
