import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Embedder } from '../embedder.js';
import { TeamKbError } from '../errors.js';
import { type IngestRun, ingestFiles } from '../ingest/pipeline.js';
import type { IngestQueue, QueuedIngest } from '../ingest/queue.js';
import type { DocumentLoader, IngestInput, IngestSettings } from '../ingest/types.js';
import type { IngestOptions, KbService, SearchHit, UploadedFile } from '../kb-service.js';
import type { KnowledgeBase, Registry } from '../registry.js';
import type { Reranker } from '../reranker.js';
import { expandChunk } from '../retrieval/neighbours.js';
import { rerankCandidates, rerankHits } from '../retrieval/rerank.js';
import type { FusionSettings, SearchMode, VectorStore } from '../vector-store.js';
import { kbNameClash } from './admin.js';
import { kbFolder } from './folders.js';
import { collidingKbName } from './name-lookalikes.js';
import { validateKbName } from './names.js';
import { type Passage, readPassage } from './passage.js';
import { cancelQueuedJob, enqueueIngest, queuedInputs, withoutTimes } from './queued.js';
import { stageUploads } from './staging.js';

export interface KbServiceDeps {
  registry: Registry;
  store: VectorStore;
  embedder: Embedder | null;
  loader: DocumentLoader;
  settings: IngestSettings;
  /** Folder of every KB's source files (see kbFolder): basic.filesDir, default <dataDir>/kbs. */
  filesDir: string;
  search: {
    topK: number;
    scoreThreshold: number;
    mode: SearchMode;
    fusion?: FusionSettings;
    /** Neighbouring chunks joined to each hit on each side, so the shown passage holds the answer (0: off). */
    neighbours?: number;
  };
  /** Optional cross-encoder that reorders the top candidates of every search. */
  reranker?: Reranker | null;
  warn?: (msg: string) => void;
  /** With PostgreSQL: uploads and CLI ingests go through this queue; any worker runs them. */
  queue?: IngestQueue;
}

export interface LocalKbService extends KbService {
  contentDir(kb: string): string;
  /** Ingests files already on disk under the KB's content folder. */
  ingestContent(kb: string, names: string[], opts?: IngestOptions): Promise<IngestRun>;
  readonly embedder: Embedder | null;
  readonly reranker: Reranker | null;
  readonly store: VectorStore;
  readonly registry: Registry;
  /** A cited chunk with its surrounding text, or undefined when it is not (or no longer) searchable. */
  passage(kb: string, chunkId: string): Promise<Passage | undefined>;
  /** Runs one job taken from the ingest queue (a worker's side of ingestUploads/ingestContent). */
  runQueued(job: QueuedIngest): Promise<void>;
}

type RunOptions = IngestOptions & { jobId?: string };
const queuedFile = ({ name, stagedPath }: IngestInput) => ({ name, stagedPath });

/** Same name ignoring case and width, or a lookalike in another script: refused, naming the existing KB. */
function kbNameTaken(name: string, existing: string): TeamKbError {
  return new TeamKbError('KB_EXISTS', kbNameClash(name, existing), { details: { name, existing } });
}

export function createKbService(deps: KbServiceDeps): LocalKbService {
  const { registry, store, embedder } = deps;
  const reranker = deps.reranker ?? null;
  const folder = (kb: string) => kbFolder(deps.filesDir, kb);
  const contentDir = (kb: string) => folder(kb).content;
  const embedderId = embedder?.id ?? 'none';

  const getKb = (name: string): KnowledgeBase => {
    const kb = registry.getKb(name);
    if (!kb) {
      // No list of names here: which KBs the asker may know about is the access policy's call.
      throw new TeamKbError('KB_NOT_FOUND', `Knowledge base "${name}" does not exist.`, { details: { kb: name } });
    }
    return kb;
  };

  /** The embedder to write a KB's vectors with, or null for keyword-only KBs. */
  const ingestEmbedder = (kb: KnowledgeBase): Embedder | null => {
    if (kb.embedder === 'none') return null;
    if (embedder && kb.embedder === embedder.id) return embedder;
    throw new TeamKbError(
      'EMBEDDER_MISMATCH',
      `Knowledge base "${kb.name}" was built with embedder ${kb.embedder}, but ${embedderId} is configured. ` +
        `Set TEAMKB_EMBEDDER=${kb.embedder}, or rebuild it with: npm run kb -- reindex ${kb.name} --recreate`,
    );
  };

  const run = (kb: KnowledgeBase, inputs: IngestInput[], opts: RunOptions, jobKind: 'ingest' | 'reindex' | 'recreate') =>
    ingestFiles(
      { registry, store, embedder: ingestEmbedder(kb), loader: deps.loader, settings: deps.settings },
      kb.name,
      inputs,
      { ...opts, jobKind },
    );

  /** Each hit shown with its neighbouring chunks (stores that can read chunks by place). */
  const withNeighbours = async (hits: SearchHit[]): Promise<SearchHit[]> => {
    const radius = deps.search.neighbours ?? 0;
    const chunksAt = store.chunksAt?.bind(store);
    if (radius <= 0 || !chunksAt) return hits;
    return Promise.all(
      hits.map(async (hit) => ({
        ...hit,
        chunk: await expandChunk(hit.chunk, radius, (fileId, ordinals) => chunksAt(hit.kb, fileId, ordinals)),
      })),
    );
  };

  const service: LocalKbService = {
    embedder,
    reranker,
    store,
    registry,
    contentDir,
    listKbs: () => registry.listKbs(),
    getKb,

    async createKb(rawName, opts = {}) {
      const name = validateKbName(rawName);
      const clash = collidingKbName(
        name,
        registry.listKbs().map((k) => k.name),
      );
      if (clash !== undefined) throw kbNameTaken(name, clash);
      await store.ensure(name, embedder?.dim ?? null);
      await mkdir(contentDir(name), { recursive: true });
      return registry.createKb({
        name,
        description: opts.description ?? '',
        embedder: embedderId,
        dim: embedder?.dim ?? null,
        store: store.id,
        createdBy: opts.createdBy ?? null,
        visibility: opts.visibility ?? 'public',
      });
    },

    async deleteKb(name) {
      getKb(name);
      await store.drop(name);
      registry.deleteKb(name);
      await rm(folder(name).root, { recursive: true, force: true });
    },

    listFiles: (kb) => {
      getKb(kb);
      return registry.listFiles(kb);
    },

    async removeFile(kb, fileName) {
      getKb(kb);
      const file = registry.getFile(kb, fileName);
      if (!file) throw new TeamKbError('FILE_NOT_FOUND', `"${fileName}" is not in knowledge base "${kb}".`);
      const removed = await store.deleteByFile(kb, file.id);
      registry.deleteFile(file.id);
      await rm(join(contentDir(kb), file.name), { force: true });
      return removed;
    },

    async ingestUploads(kbName, files: UploadedFile[], opts = {}) {
      const kb = getKb(kbName);
      ingestEmbedder(kb);
      // Each upload gets its own temporary file outside the content folder; the pipeline moves it
      // into place under a per-name lock, so same-name uploads never share or mix bytes.
      const inputs = await stageUploads(folder(kb.name).staging, contentDir(kb.name), files);
      // Staged in the files folder every replica shares, the uploads wait there for whichever worker takes the job.
      if (deps.queue) return enqueueIngest({ registry, queue: deps.queue }, kb.name, inputs.map(queuedFile), opts);
      try {
        return await run(kb, inputs, opts, 'ingest');
      } finally {
        for (const input of inputs) if (input.stagedPath) await rm(input.stagedPath, { force: true });
      }
    },

    async ingestContent(kbName, names, opts = {}) {
      const kb = getKb(kbName);
      const queue = deps.queue && { registry, queue: deps.queue };
      if (queue)
        return withoutTimes(
          await enqueueIngest(
            queue,
            kb.name,
            names.map((name) => ({ name })),
            opts,
          ),
        );
      const inputs: IngestInput[] = [];
      for (const name of names) {
        const path = join(contentDir(kb.name), name);
        inputs.push({ name, path, size: (await stat(path)).size });
      }
      return run(kb, inputs, opts, 'ingest');
    },

    async reindex(kbName, opts = {}) {
      let kb = getKb(kbName);
      const recreate = opts.recreate ?? false;
      if (recreate) {
        await store.drop(kb.name);
        await store.ensure(kb.name, embedder?.dim ?? null);
        registry.updateKb(kb.name, { embedder: embedderId, dim: embedder?.dim ?? null });
        kb = getKb(kbName);
      }
      const inputs: IngestInput[] = [];
      for (const file of registry.listFiles(kb.name)) {
        const path = join(contentDir(kb.name), file.name);
        const info = await stat(path).catch(() => undefined);
        if (!info) {
          await store.deleteByFile(kb.name, file.id);
          registry.deleteFile(file.id);
          deps.warn?.(`${file.name}: source file is gone; removed from ${kb.name}.`);
          continue;
        }
        inputs.push({ name: file.name, path, size: info.size });
      }
      return run(kb, inputs, { ...opts, recreate: true }, recreate ? 'recreate' : 'reindex');
    },

    async runQueued(job) {
      const kb = getKb(job.kb);
      await run(kb, await queuedInputs(contentDir(kb.name), job), { jobId: job.jobId }, 'ingest');
    },

    listJobs: (filter = {}) => {
      if (!filter.unfinished) return registry.listJobs(filter.kb);
      return registry
        .unfinishedJobs()
        .filter((job) => filter.kb === undefined || job.kb === filter.kb)
        .reverse();
    },
    getJob: (id) => registry.getJob(id),
    cancelJob: (id) => cancelQueuedJob({ registry, queue: deps.queue }, id),

    async search(kbs, query, opts = {}) {
      const topK = opts.topK ?? deps.search.topK;
      const threshold = opts.scoreThreshold ?? deps.search.scoreThreshold;
      const requested = opts.mode ?? deps.search.mode;
      // With a reranker, more candidates reach it and the threshold applies to its scores instead:
      // a hit's score is then the reranker's 0..1 relevance of the passage to the query.
      const pool = reranker ? rerankCandidates(topK) : topK;
      let queryVector: Float32Array | undefined;
      const hits: SearchHit[] = [];
      for (const name of kbs) {
        const kb = getKb(name);
        let mode = requested;
        if (mode !== 'bm25' && (kb.embedder === 'none' || !embedder || kb.embedder !== embedder.id)) {
          if (mode === 'dense') {
            if (kb.embedder === 'none') {
              throw new TeamKbError(
                'EMBEDDER_UNAVAILABLE',
                `Knowledge base "${name}" has no vectors (keyword-only); use bm25 or hybrid search.`,
              );
            }
            ingestEmbedder(kb);
          }
          mode = 'bm25';
        }
        if (mode !== 'bm25' && embedder && !queryVector) [queryVector] = await embedder.embed([query], 'query');
        const ready = new Set(
          registry
            .listFiles(name)
            .filter((f) => f.status === 'ready')
            .map((f) => f.id),
        );
        const found = await store.search(name, {
          mode,
          topK: pool * 2 + 5,
          text: query,
          vector: queryVector,
          fusion: deps.search.fusion,
        });
        for (const h of found)
          if (ready.has(h.chunk.fileId) && (reranker || h.score >= threshold))
            hits.push({ kb: name, chunk: h.chunk, score: h.score });
      }
      const candidates = hits.sort((a, b) => b.score - a.score).slice(0, pool);
      const found = reranker ? await rerankHits(reranker, query, candidates, { topK, threshold, warn: deps.warn }) : candidates;
      return withNeighbours(found);
    },

    passage: (kbName, id) => readPassage({ registry, store }, getKb(kbName).name, id),

    sourcePath(kbName, fileName) {
      const kb = getKb(kbName);
      const file = registry.getFile(kb.name, fileName);
      if (!file) throw new TeamKbError('FILE_NOT_FOUND', `"${fileName}" is not in knowledge base "${kb.name}".`);
      return join(contentDir(kb.name), file.name);
    },
  };
  return service;
}
