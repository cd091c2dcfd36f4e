import { readFile, rename, rm } from 'node:fs/promises';
import { extname } from 'node:path';
import type { StoredChunk } from '../chunk.js';
import { describeError, TeamKbError } from '../errors.js';
import type { IngestFailure, IngestOptions, IngestSummary } from '../kb-service.js';
import type { JobProgress, KbFile } from '../registry.js';
import { splitDocument } from '../text/splitter.js';
import { chunkId, fileId, sha256 } from './chunk-id.js';
import { withKeyLock } from './file-lock.js';
import type { IngestDeps, IngestInput, StageTimes } from './types.js';

const STORE_BATCH = 512;

function assertNotAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new TeamKbError('CANCELLED', 'Ingestion was cancelled.');
}

/** A file's version id: the same name with other content gets a new id, so versions never mix. */
export const fileVersionId = (kb: string, name: string, digest: string): string => `${fileId(kb, name)}-${digest.slice(0, 12)}`;

export interface IngestRun extends IngestSummary {
  times: StageTimes;
}

/**
 * Ingests files into one KB. Each file is parsed, split, embedded and written on its own: a bad
 * file fails alone. A file's chunks are written under a new version id before its registry row
 * points at that version, and the old version is removed after; search only trusts versions the
 * registry marks ready, so an interrupted run never exposes half a file.
 */
export async function ingestFiles(
  deps: IngestDeps,
  kb: string,
  inputs: IngestInput[],
  opts: IngestOptions & { jobKind?: 'ingest' | 'reindex' | 'recreate'; jobId?: string } = {},
): Promise<IngestRun> {
  const { registry, settings } = deps;
  const started = performance.now();
  // A queued job was recorded when it was accepted; this run reports into it.
  const job = (opts.jobId && registry.getJob(opts.jobId)) || registry.createJob(kb, opts.jobKind ?? 'ingest');
  opts.onJob?.(job.id);
  const earlier = opts.failures ?? [];
  const progress: JobProgress = {
    filesTotal: inputs.length + earlier.length,
    filesDone: earlier.length,
    chunksDone: 0,
    failed: earlier.length,
    unchanged: 0,
  };
  const times: StageTimes = { parse: 0, split: 0, embed: 0, store: 0 };
  const summary: IngestRun = {
    jobId: job.id,
    kb,
    ingested: [],
    unchanged: [],
    failed: [...earlier],
    chunks: 0,
    seconds: 0,
    times,
  };
  const report = () => {
    registry.updateJob(job.id, { progress });
    opts.onProgress?.({ ...progress });
  };
  if (!registry.startJob(job.id)) {
    // Cancelled while it waited in the queue: it never runs, and the uploads staged for it go.
    for (const input of inputs) if (input.stagedPath) await rm(input.stagedPath, { force: true });
    return summary;
  }
  report();

  const queue = [...inputs];
  const worker = async () => {
    for (let input = queue.shift(); input; input = queue.shift()) {
      if (opts.signal?.aborted) return;
      progress.currentFile = input.name;
      try {
        const outcome = await withKeyLock(input.path, async () => {
          if (input.stagedPath) {
            await rename(input.stagedPath, input.path);
            input.stagedPath = undefined;
          }
          return ingestOne(deps, kb, input, times, opts);
        });
        if (outcome.unchanged) {
          progress.unchanged++;
          summary.unchanged.push(input.name);
        } else {
          summary.ingested.push(input.name);
          summary.chunks += outcome.chunks;
          progress.chunksDone += outcome.chunks;
        }
      } catch (err) {
        if (err instanceof TeamKbError && err.code === 'CANCELLED') return;
        const failure: IngestFailure = {
          file: input.name,
          code: err instanceof TeamKbError ? err.code : 'FILE_CORRUPT',
          reason: describeError(err),
        };
        summary.failed.push(failure);
        progress.failed++;
      }
      progress.filesDone++;
      report();
    }
  };
  const workers = Math.max(1, Math.min(settings.parseConcurrency ?? 2, inputs.length));
  try {
    await Promise.all(Array.from({ length: workers }, worker));
  } catch (err) {
    // Files fail one by one inside; reaching here means the job itself broke (registry or store down).
    registry.updateJob(job.id, { status: 'failed', error: describeError(err) });
    throw err;
  } finally {
    // Uploads a cancelled run never reached leave nothing behind.
    for (const input of inputs) if (input.stagedPath) await rm(input.stagedPath, { force: true });
  }

  if (summary.ingested.length > 0 && deps.store.optimize) {
    const t = performance.now();
    await deps.store.optimize(kb).catch(() => undefined);
    times.store += (performance.now() - t) / 1000;
  }
  summary.seconds = (performance.now() - started) / 1000;
  progress.currentFile = undefined;
  const cancelled = opts.signal?.aborted ?? false;
  registry.updateJob(job.id, {
    status: cancelled ? 'cancelled' : 'done',
    progress,
    result: { ingested: summary.ingested, unchanged: summary.unchanged, failed: summary.failed, chunks: summary.chunks },
  });
  opts.onProgress?.({ ...progress });
  return summary;
}

async function ingestOne(
  deps: IngestDeps,
  kb: string,
  input: IngestInput,
  times: StageTimes,
  opts: IngestOptions,
): Promise<{ unchanged: boolean; chunks: number }> {
  const { registry, store, embedder, loader, settings } = deps;
  if (input.size > settings.maxFileBytes) {
    const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
    throw new TeamKbError('FILE_TOO_LARGE', `${input.name}: ${mb(input.size)} is over the ${mb(settings.maxFileBytes)} limit.`);
  }
  const bytes = await readFile(input.path);
  const digest = sha256(bytes);
  const versionId = fileVersionId(kb, input.name, digest);
  const previous = registry.getFile(kb, input.name);
  if (!opts.recreate && previous?.status === 'ready' && previous.sha256 === digest && previous.id === versionId) {
    return { unchanged: true, chunks: previous.chunks };
  }
  const record = (patch: Partial<KbFile> & Pick<KbFile, 'id' | 'status'>) =>
    registry.upsertFile({ kb, name: input.name, sha256: digest, size: bytes.length, error: null, chunks: 0, ...patch });
  if (!previous) record({ id: versionId, status: 'pending' });

  try {
    assertNotAborted(opts.signal);
    let t = performance.now();
    const extension = extname(input.name).slice(1).toLowerCase();
    const file = { name: input.name, extension, bytes };
    const split = { chunkSize: settings.chunkSize, chunkOverlap: settings.chunkOverlap };
    // A loader that splits too (the worker pool) does it off this thread; its split time counts as parse.
    const ready = loader.loadChunks ? await loader.loadChunks(file, split, opts.signal) : undefined;
    const doc = ready ? undefined : await loader.load(file, opts.signal);
    times.parse += (performance.now() - t) / 1000;

    t = performance.now();
    const pieces = ready ?? splitDocument(doc!, split);
    if (pieces.length === 0) throw new TeamKbError('FILE_EMPTY', `${input.name}: no text found in the file.`);
    const chunks: StoredChunk[] = pieces.map((p, ordinal) => ({
      id: chunkId(kb, input.name, ordinal, p.text),
      fileId: versionId,
      ordinal,
      text: p.text,
      meta: p.meta,
    }));
    times.split += (performance.now() - t) / 1000;

    if (embedder) {
      t = performance.now();
      for (let i = 0; i < chunks.length; i += settings.embedBatchSize) {
        assertNotAborted(opts.signal);
        const batch = chunks.slice(i, i + settings.embedBatchSize);
        const vectors = await embedder.embed(
          batch.map((c) => c.text),
          'passage',
          opts.signal,
        );
        batch.forEach((c, j) => {
          c.vector = vectors[j];
        });
      }
      times.embed += (performance.now() - t) / 1000;
    }

    assertNotAborted(opts.signal);
    t = performance.now();
    await store.deleteByFile(kb, versionId);
    for (let i = 0; i < chunks.length; i += STORE_BATCH) await store.upsert(kb, chunks.slice(i, i + STORE_BATCH));
    times.store += (performance.now() - t) / 1000;

    record({ id: versionId, status: 'ready', chunks: chunks.length });
    if (previous && previous.id !== versionId) await store.deleteByFile(kb, previous.id);
    return { unchanged: false, chunks: chunks.length };
  } catch (err) {
    if (err instanceof TeamKbError && err.code === 'CANCELLED') throw err;
    if (previous && previous.id !== versionId) await store.deleteByFile(kb, previous.id).catch(() => 0);
    await store.deleteByFile(kb, versionId).catch(() => 0);
    record({ id: versionId, status: 'failed', error: describeError(err) });
    throw err;
  }
}
