/**
 * A durable queue of ingest jobs shared by every replica: any replica accepts an upload and sends
 * it here, one worker runs it, a failed or abandoned run is retried with backoff. The job's
 * progress lives in the registry's jobs table, which every replica reads.
 */
export interface QueuedIngest {
  /** The registry job this run reports into (created, queued, when the upload was accepted). */
  jobId: string;
  kb: string;
  files: QueuedFile[];
}

export interface QueuedFile {
  /** Safe name under the KB's content folder. */
  name: string;
  /**
   * Where the accepted upload waits (the KB's staging folder in the shared files folder); absent for
   * files already in the content folder (CLI ingests). Gone once a run has moved it into place.
   */
  stagedPath?: string;
}

export interface IngestQueue {
  send(job: QueuedIngest): Promise<void>;
  /**
   * Takes a job no worker has fetched off the queue. Resolves with its data (so its staged uploads
   * can be removed), or undefined when it was not waiting there (fetched, finished, or unknown).
   */
  cancel(jobId: string): Promise<QueuedIngest | undefined>;
  /** Runs queued jobs in this process until close(); a throw fails the attempt (retried later). */
  work(run: (job: QueuedIngest) => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

/** Owner recorded on a queued job: the queue, not a process, decides whether it runs again. */
export const QUEUE_OWNER = 'queue';
