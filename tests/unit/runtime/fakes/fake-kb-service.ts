import { createHash } from 'node:crypto';
import { TeamKbError } from '../../../../core/errors.js';
import type { IngestOptions, IngestSummary, KbService, SearchHit, UploadedFile } from '../../../../core/kb-service.js';
import type { Job, KbFile, KnowledgeBase } from '../../../../core/registry.js';

interface StoredFile {
  file: KbFile;
  text: string;
}

const stamp = '2026-01-01T00:00:00.000Z';

/**
 * An in-memory KbService. A file whose bytes contain "CORRUPT" fails to parse (FILE_CORRUPT);
 * search returns the files that contain a word of the query.
 */
export class FakeKbService implements KbService {
  readonly kbs = new Map<string, KnowledgeBase>();
  readonly files = new Map<string, Map<string, StoredFile>>();
  readonly deleted: string[] = [];
  readonly searches: { kbs: string[]; query: string }[] = [];
  /** Jobs as a registry would record them, newest first. */
  readonly jobRecords: Job[] = [];
  /** When set, a running ingest waits for it after its first progress update (to look at a running job). */
  pause: Promise<void> | undefined;
  private jobs = 0;

  listKbs(): KnowledgeBase[] {
    return [...this.kbs.values()];
  }

  getKb(name: string): KnowledgeBase {
    const kb = this.kbs.get(name);
    if (!kb) throw new TeamKbError('KB_NOT_FOUND', `Knowledge base "${name}" not found.`);
    return kb;
  }

  async createKb(
    name: string,
    opts: { description?: string; createdBy?: string; visibility?: 'public' | 'restricted' | 'private' } = {},
  ): Promise<KnowledgeBase> {
    if (this.kbs.has(name)) throw new TeamKbError('KB_EXISTS', `Knowledge base "${name}" already exists.`);
    const kb: KnowledgeBase = {
      name,
      description: opts.description ?? '',
      embedder: 'fake',
      dim: 8,
      store: 'memory',
      createdBy: opts.createdBy ?? null,
      visibility: opts.visibility ?? 'public',
      createdAt: stamp,
    };
    this.kbs.set(name, kb);
    this.files.set(name, new Map());
    return kb;
  }

  async deleteKb(name: string): Promise<void> {
    this.getKb(name);
    this.kbs.delete(name);
    this.files.delete(name);
    this.deleted.push(name);
  }

  listFiles(kb: string): KbFile[] {
    this.getKb(kb);
    return [...(this.files.get(kb)?.values() ?? [])].map((f) => f.file);
  }

  async removeFile(kb: string, fileName: string): Promise<number> {
    const stored = this.files.get(kb)?.get(fileName);
    if (!stored) throw new TeamKbError('FILE_NOT_FOUND', `No file "${fileName}" in "${kb}".`);
    this.files.get(kb)?.delete(fileName);
    return stored.file.chunks;
  }

  async ingestUploads(kb: string, uploads: UploadedFile[], opts: IngestOptions = {}): Promise<IngestSummary> {
    this.getKb(kb);
    const job = this.recordJob(kb);
    opts.onJob?.(job.id);
    const earlier = opts.failures ?? [];
    const summary: IngestSummary = {
      jobId: job.id,
      kb,
      ingested: [],
      unchanged: [],
      failed: [...earlier],
      chunks: 0,
      seconds: 0.1,
    };
    const report = (filesDone: number, currentFile?: string) => {
      job.progress = {
        filesTotal: uploads.length + earlier.length,
        filesDone: filesDone + earlier.length,
        chunksDone: summary.chunks,
        failed: summary.failed.length,
        unchanged: summary.unchanged.length,
        currentFile,
      };
      opts.onProgress?.({ ...job.progress });
    };
    const files = this.files.get(kb) as Map<string, StoredFile>;
    for (const [i, upload] of uploads.entries()) {
      report(i, upload.name);
      if (i === 0) await this.pause;
      const text = upload.bytes.toString('utf8');
      const sha256 = createHash('sha256').update(upload.bytes).digest('hex');
      if (text.includes('CORRUPT')) {
        summary.failed.push({ file: upload.name, code: 'FILE_CORRUPT', reason: `${upload.name} is damaged and cannot be read` });
        continue;
      }
      if (files.get(upload.name)?.file.sha256 === sha256) {
        summary.unchanged.push(upload.name);
        continue;
      }
      const chunks = Math.max(1, Math.ceil(text.length / 50));
      const file: KbFile = {
        id: `${kb}/${upload.name}`,
        kb,
        name: upload.name,
        sha256,
        size: upload.bytes.length,
        status: 'ready',
        error: null,
        chunks,
        createdAt: stamp,
        updatedAt: stamp,
      };
      files.set(upload.name, { file, text });
      summary.ingested.push(upload.name);
      summary.chunks += chunks;
    }
    report(uploads.length);
    Object.assign(job, { status: 'done', result: summary });
    return summary;
  }

  /** Ingest jobs as the registry keeps them, newest first. */
  listJobs(filter: { kb?: string; unfinished?: boolean } = {}): Job[] {
    return this.jobRecords.filter(
      (j) =>
        (filter.kb === undefined || j.kb === filter.kb) &&
        (!filter.unfinished || j.status === 'queued' || j.status === 'running'),
    );
  }

  getJob(id: string): Job | undefined {
    return this.jobRecords.find((j) => j.id === id);
  }

  /** As the real service: a queued job is cancelled, any other is refused. */
  async cancelJob(id: string): Promise<Job> {
    const job = this.getJob(id);
    if (!job) throw new TeamKbError('JOB_NOT_FOUND', `No job "${id}".`);
    if (job.status !== 'queued') throw new TeamKbError('JOB_NOT_CANCELLABLE', `Job ${id} is already ${job.status}.`);
    job.status = 'cancelled';
    return job;
  }

  private recordJob(kb: string): Job {
    const job: Job = {
      id: `fake-job-${++this.jobs}`,
      kb,
      kind: 'ingest',
      status: 'running',
      progress: { filesTotal: 0, filesDone: 0, chunksDone: 0, failed: 0, unchanged: 0 },
      result: null,
      error: null,
      owner: 'test',
      createdAt: stamp,
      updatedAt: stamp,
    };
    this.jobRecords.unshift(job);
    return job;
  }

  async reindex(kb: string, opts: IngestOptions = {}): Promise<IngestSummary> {
    const stored = [...(this.files.get(kb)?.values() ?? [])];
    this.files.set(kb, new Map());
    return this.ingestUploads(
      kb,
      stored.map((s) => ({ name: s.file.name, bytes: Buffer.from(s.text) })),
      opts,
    );
  }

  async search(kbs: string[], query: string): Promise<SearchHit[]> {
    this.searches.push({ kbs, query });
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    const hits: SearchHit[] = [];
    for (const kb of kbs) {
      for (const { file, text } of this.files.get(kb)?.values() ?? []) {
        const matched = words.filter((w) => text.toLowerCase().includes(w)).length;
        if (!matched) continue;
        const chunk = { id: `${file.id}#0`, fileId: file.id, ordinal: 0, text, meta: { source: file.name, page: 1 } };
        hits.push({ kb, chunk, score: matched / words.length });
      }
    }
    return hits.sort((a, b) => b.score - a.score);
  }

  sourcePath(kb: string, fileName: string): string {
    return `/content/${kb}/${fileName}`;
  }

  /** Test setup: a KB with files, bypassing the runtime. */
  async seed(name: string, visibility: 'public' | 'restricted' | 'private', files: Record<string, string> = {}): Promise<void> {
    await this.createKb(name, { visibility, description: `${name} docs` });
    await this.ingestUploads(
      name,
      Object.entries(files).map(([n, text]) => ({ name: n, bytes: Buffer.from(text) })),
    );
  }
}
