import type { Job, Registry } from '../registry.js';
import type { VectorStore } from '../vector-store.js';

export const INTERRUPTED_JOB = 'Interrupted: TeamKB stopped before this job finished. Upload or reindex again to complete it.';
export const INTERRUPTED_FILE = 'Interrupted while being added (TeamKB stopped). Upload it again.';

export interface RecoveryDeps {
  registry: Registry;
  store: VectorStore;
  /** Whether the process that owns a job (see Job.owner) is still running; unknown owners count as gone. */
  isAlive: (owner: string | null) => boolean;
}

/**
 * Start-up clean-up after a crash: jobs whose process is gone are marked failed, and files they
 * left "pending" (a first version never finished) are marked failed with their partial chunks
 * removed. KBs with a job still running in another process (a CLI ingest) are left alone.
 */
export async function recoverInterruptedJobs(deps: RecoveryDeps): Promise<Job[]> {
  const { registry, store, isAlive } = deps;
  const unfinished = registry.unfinishedJobs();
  const dead = unfinished.filter((job) => !isAlive(job.owner));
  if (dead.length === 0) return [];
  for (const job of dead) {
    registry.updateJob(job.id, {
      status: 'failed',
      error: INTERRUPTED_JOB,
      progress: { ...job.progress, currentFile: undefined },
    });
  }
  const busy = new Set(unfinished.filter((job) => isAlive(job.owner)).map((job) => job.kb));
  const kbs = new Set(dead.map((job) => job.kb).filter((kb) => !busy.has(kb) && registry.getKb(kb)));
  for (const kb of kbs) {
    for (const file of registry.listFiles(kb)) {
      if (file.status !== 'pending') continue;
      await store.deleteByFile(kb, file.id).catch(() => 0);
      const { createdAt: _created, updatedAt: _updated, ...row } = file;
      registry.upsertFile({ ...row, status: 'failed', error: INTERRUPTED_FILE, chunks: 0 });
    }
  }
  return dead.map((job) => registry.getJob(job.id) ?? job);
}
