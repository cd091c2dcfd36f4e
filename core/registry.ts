/** The registry records what exists: knowledge bases, their files and ingest jobs. */

/**
 * public: everyone. restricted: the channels it is bound to (and admins). private: its creator
 * (and admins). Temporary file-chat KBs are restricted ones owned by one conversation.
 */
export type KbVisibility = 'public' | 'restricted' | 'private';

export interface KnowledgeBase {
  name: string;
  description: string;
  /** Embedder id that built the vectors, or "none" for keyword-only. */
  embedder: string;
  /** Vector dimension, null for keyword-only. */
  dim: number | null;
  store: string;
  createdBy: string | null;
  visibility: KbVisibility;
  createdAt: string;
}

export type FileStatus = 'pending' | 'ready' | 'failed';

export interface KbFile {
  id: string;
  kb: string;
  /** Name relative to the KB (shown in citations). */
  name: string;
  sha256: string;
  size: number;
  status: FileStatus;
  error: string | null;
  chunks: number;
  createdAt: string;
  updatedAt: string;
}

export type JobStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface JobProgress {
  filesTotal: number;
  filesDone: number;
  chunksDone: number;
  failed: number;
  unchanged: number;
  currentFile?: string;
}

export interface Job {
  id: string;
  kb: string;
  kind: 'ingest' | 'reindex' | 'recreate';
  status: JobStatus;
  /** The process running it (`host:pid`), so the next start can tell a crashed job from a live one. */
  owner: string | null;
  progress: JobProgress;
  /** Final summary (JSON) once done. */
  result: unknown;
  error: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface NewKnowledgeBase {
  name: string;
  description?: string;
  embedder: string;
  dim: number | null;
  store: string;
  createdBy?: string | null;
  visibility?: KbVisibility;
}

export interface Registry {
  createKb(kb: NewKnowledgeBase): KnowledgeBase;
  getKb(name: string): KnowledgeBase | undefined;
  listKbs(): KnowledgeBase[];
  updateKb(name: string, patch: Partial<Pick<KnowledgeBase, 'description' | 'embedder' | 'dim' | 'visibility' | 'store'>>): void;
  deleteKb(name: string): void;

  getFile(kb: string, name: string): KbFile | undefined;
  getFileById(id: string): KbFile | undefined;
  listFiles(kb: string): KbFile[];
  /** Inserts or updates by (kb, name). */
  upsertFile(file: Omit<KbFile, 'createdAt' | 'updatedAt'>): KbFile;
  deleteFile(id: string): void;

  /** A new queued job, owned by this process unless `owner` names another (the ingest queue). */
  createJob(kb: string, kind: Job['kind'], owner?: string): Job;
  updateJob(id: string, patch: Partial<Pick<Job, 'status' | 'progress' | 'result' | 'error'>>): void;
  /**
   * Marks a job running unless it was cancelled, in one statement: a run and a cancel racing for
   * a queued job never both win. False means the job must not run.
   */
  startJob(id: string): boolean;
  /** Cancels a job no run has started (queued → cancelled, with `reason` as its error); false otherwise. */
  cancelQueuedJob(id: string, reason: string): boolean;
  getJob(id: string): Job | undefined;
  listJobs(kb?: string): Job[];
  /** Every queued or running job, oldest first (however many there are). */
  unfinishedJobs(): Job[];

  close(): void;
}
