import type { AnswerPart } from './answer.js';
import type { Chunk } from './chunk.js';
import type { ChatMessage } from './llm.js';
import type { Job, JobProgress, KbFile, KbVisibility, KnowledgeBase } from './registry.js';
import type { SearchMode } from './vector-store.js';

export interface UploadedFile {
  name: string;
  bytes: Buffer;
}

export interface IngestFailure {
  file: string;
  code: string;
  reason: string;
}

export interface IngestSummary {
  jobId: string;
  kb: string;
  ingested: string[];
  unchanged: string[];
  failed: IngestFailure[];
  chunks: number;
  seconds: number;
}

export interface IngestOptions {
  onProgress?: (p: JobProgress) => void;
  /** Called with the job id as soon as the job is recorded (before any work). */
  onJob?: (jobId: string) => void;
  signal?: AbortSignal;
  /** Drop all vectors and rebuild (otherwise only new/changed files are processed). */
  recreate?: boolean;
  /** Remove registry entries whose source file is gone (directory ingests). */
  prune?: boolean;
  /** Files that failed before the ingest (downloads): counted in the job's progress and result. */
  failures?: IngestFailure[];
}

export interface SearchHit {
  kb: string;
  chunk: Chunk;
  score: number;
}

/** Knowledge-base management and search, as used by the CLI, HTTP API and chat runtime. */
export interface KbService {
  listKbs(): KnowledgeBase[];
  getKb(name: string): KnowledgeBase;
  createKb(name: string, opts?: { description?: string; createdBy?: string; visibility?: KbVisibility }): Promise<KnowledgeBase>;
  deleteKb(name: string): Promise<void>;
  listFiles(kb: string): KbFile[];
  /** Removes a file's chunks (first) and its registry row; returns chunks removed. */
  removeFile(kb: string, fileName: string): Promise<number>;
  /** Stores the uploaded bytes under the KB's content folder and ingests them. */
  ingestUploads(kb: string, files: UploadedFile[], opts?: IngestOptions): Promise<IngestSummary>;
  /** Re-ingests every file of the KB from its content folder (e.g. after changing the embedder). */
  reindex(kb: string, opts?: IngestOptions): Promise<IngestSummary>;
  search(
    kbs: string[],
    query: string,
    opts?: { topK?: number; mode?: SearchMode; scoreThreshold?: number },
  ): Promise<SearchHit[]>;
  /** Path of a file's stored source, for downloads. */
  sourcePath(kb: string, fileName: string): string;
  /**
   * Ingest jobs (uploads from any surface, file chats, reindexes, CLI ingests; any process), newest
   * first; `unfinished` lists only queued and running ones.
   */
  listJobs(filter?: { kb?: string; unfinished?: boolean }): Job[];
  getJob(id: string): Job | undefined;
  /** Cancels a job still waiting in the ingest queue; JOB_NOT_CANCELLABLE once it runs or ended. */
  cancelJob(id: string): Promise<Job>;
}

export type ChatMode = 'llm' | 'kb' | 'file' | 'search';

export interface AnswerRequest {
  mode: ChatMode;
  question: string;
  /** KBs to search (kb and file modes). */
  kbs?: string[];
  /** Earlier turns, oldest first; used to condense follow-ups. */
  history?: ChatMessage[];
  /** LLM name from the configured list; default is the first. */
  model?: string;
  topK?: number;
  scoreThreshold?: number;
  /** Caps the generated answer (tokens); the service default otherwise. */
  maxTokens?: number;
  temperature?: number;
  signal?: AbortSignal;
}

export interface AnswerService {
  answer(req: AnswerRequest): AsyncIterable<AnswerPart>;
  /** Configured LLM names, default first; empty when none is loaded. */
  models(): string[];
  status(): { llms: string[]; embedder: string; queued: number; running: number };
}
