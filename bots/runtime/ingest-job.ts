import type { FileRef, Reply } from '../../core/chat.js';
import { describeError, isTeamKbError } from '../../core/errors.js';
import type { IngestFailure, IngestOptions, IngestSummary, UploadedFile } from '../../core/kb-service.js';
import type { ActiveJob } from './active-jobs.js';
import { newRef } from './error-part.js';
import { emptySummary, summaryLine, withFailures } from './ingest-summary.js';
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
  kind: ActiveJob['kind'];
  kb: string;
  /** Files to process, when known up front (0 for a reindex). */
  filesTotal: number;
  /** Failures found before the ingest started (downloads); they count in the summary. */
  earlierFailures?: IngestFailure[];
  /** Skip the ingest (nothing left to process) and only report the earlier failures. */
  skip?: boolean;
  run(opts: IngestOptions): Promise<IngestSummary>;
}

/** Runs an ingest while `progress` parts show how far it got; returns the summary. */
export async function runIngestJob(svc: Services, reply: Reply, job: IngestJob): Promise<IngestSummary> {
  const id = `job-${newRef()}`;
  const earlier = job.earlierFailures ?? [];
  const reporter = new ProgressReporter(reply, id, job.kb, job.filesTotal + earlier.length, svc.now, svc.logger);
  if (job.skip) {
    const summary = withFailures(emptySummary(job.kb, id), earlier);
    await reporter.finish(summaryLine(summary), { failed: earlier.length, filesDone: earlier.length });
    return summary;
  }
  svc.jobs.start({ id, kind: job.kind, kb: job.kb, startedAt: svc.now() });
  reporter.update({
    filesTotal: job.filesTotal + earlier.length,
    filesDone: 0,
    chunksDone: 0,
    failed: earlier.length,
    unchanged: 0,
  });
  try {
    const summary = withFailures(
      await job.run({
        onProgress: (p) => {
          svc.jobs.update(id, p);
          reporter.update({ ...p, filesTotal: p.filesTotal + earlier.length, failed: p.failed + earlier.length });
        },
      }),
      earlier,
    );
    const processed = summary.ingested.length + summary.unchanged.length + summary.failed.length;
    await reporter.finish(summaryLine(summary), {
      filesDone: processed,
      filesTotal: processed,
      chunks: summary.chunks,
      failed: summary.failed.length,
    });
    return summary;
  } catch (err) {
    await reporter.finish(`Stopped: ${describeError(err)}`);
    throw err;
  } finally {
    svc.jobs.end(id);
  }
}
