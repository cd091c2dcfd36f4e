import type { FileRef, Reply } from '../../core/chat.js';
import { describeError, isTeamKbError } from '../../core/errors.js';
import type { IngestFailure, IngestOptions, IngestSummary, UploadedFile } from '../../core/kb-service.js';
import { summaryLine } from './ingest-summary.js';
import { ProgressReporter } from './progress-reporter.js';
import type { Services } from './services.js';

/** Fetches every attachment; one that fails is reported and the others still go on. */
export async function downloadAttachments(
  files: FileRef[],
  svc: Services,
): Promise<{ uploads: UploadedFile[]; failures: IngestFailure[] }> {
  const results = await Promise.allSettled(files.map((f) => f.fetch()));
  const uploads: UploadedFile[] = [];
  const failures: IngestFailure[] = [];
  results.forEach((result, i) => {
    const name = files[i]?.name ?? `file ${i + 1}`;
    if (result.status === 'fulfilled') {
      uploads.push({ name, bytes: result.value });
      return;
    }
    svc.logger.warn({ err: result.reason, file: name }, 'attachment download failed');
    const code = isTeamKbError(result.reason) ? result.reason.code : 'DOWNLOAD_FAILED';
    failures.push({ file: name, code, reason: `could not be downloaded: ${describeError(result.reason)}` });
  });
  return { uploads, failures };
}

export interface IngestJob {
  kb: string;
  /** Files to process, when known up front (0 for a reindex). */
  filesTotal: number;
  /** Failures found before the ingest started (downloads); the job counts them. */
  earlierFailures?: IngestFailure[];
  run(opts: IngestOptions): Promise<IngestSummary>;
}

/**
 * Runs an ingest as a registry job (the same job `/kb status`, the HTTP API and the CLI see) while
 * `progress` parts, keyed by the job's id, show how far it got; returns the summary.
 */
export async function runIngestJob(svc: Services, reply: Reply, job: IngestJob): Promise<IngestSummary> {
  const earlier = job.earlierFailures ?? [];
  const filesTotal = job.filesTotal + earlier.length;
  let reporter: ProgressReporter | undefined;
  try {
    const summary = await job.run({
      failures: earlier,
      onJob: (id) => {
        reporter = new ProgressReporter(reply, id, job.kb, filesTotal, svc.now, svc.logger);
        reporter.update({ filesTotal, filesDone: 0, chunksDone: 0, failed: earlier.length, unchanged: 0 });
      },
      onProgress: (p) => reporter?.update(p),
    });
    const processed = summary.ingested.length + summary.unchanged.length + summary.failed.length;
    await reporter?.finish(summaryLine(summary), {
      filesDone: processed,
      filesTotal: processed,
      chunks: summary.chunks,
      failed: summary.failed.length,
    });
    return summary;
  } catch (err) {
    await reporter?.finish(`Stopped: ${describeError(err)}`);
    throw err;
  }
}
