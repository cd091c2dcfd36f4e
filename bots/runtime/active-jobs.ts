import type { JobProgress } from '../../core/registry.js';

export interface ActiveJob {
  id: string;
  kind: 'upload' | 'reindex' | 'file-chat';
  kb: string;
  startedAt: number;
  progress?: JobProgress;
}

/** Ingest jobs this process is running, for `/kb status`. */
export class ActiveJobs {
  private readonly jobs = new Map<string, ActiveJob>();

  start(job: ActiveJob): void {
    this.jobs.set(job.id, job);
  }

  update(id: string, progress: JobProgress): void {
    const job = this.jobs.get(id);
    if (job) job.progress = progress;
  }

  end(id: string): void {
    this.jobs.delete(id);
  }

  list(): ActiveJob[] {
    return [...this.jobs.values()];
  }
}
