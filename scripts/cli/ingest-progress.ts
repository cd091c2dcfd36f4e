import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import cliProgress from 'cli-progress';
import type { CoreServices } from '../../bots/app-services.js';
import { safeFileName } from '../../core/kb/names.js';
import type { IngestSummary } from '../../core/kb-service.js';
import type { JobProgress } from '../../core/registry.js';

/** Copies the inputs into the KB's content folder, then ingests them with a progress bar on stderr. */
export async function ingestWithProgress(
  core: CoreServices,
  kb: string,
  inputs: Array<{ name: string; path: string }>,
  opts: { recreate?: boolean; prune?: boolean; json?: boolean },
): Promise<IngestSummary> {
  core.kb.getKb(kb);
  const names: string[] = [];
  for (const input of inputs) {
    const name = safeFileName(input.name);
    const target = join(core.kb.contentDir(kb), name);
    await mkdir(dirname(target), { recursive: true });
    if (target !== input.path) await copyFile(input.path, target);
    names.push(name);
  }
  if (opts.prune) {
    const keep = new Set(names);
    for (const file of core.kb.listFiles(kb)) {
      if (!keep.has(file.name)) {
        await core.kb.removeFile(kb, file.name);
        if (!opts.json) console.error(`pruned ${file.name} (source gone)`);
      }
    }
  }
  if (opts.recreate) {
    await core.kb.reindex(kb, { recreate: true });
  }
  const interactive = process.stderr.isTTY && !opts.json;
  const bar = new cliProgress.SingleBar(
    {
      format: 'ingest |{bar}| {value}/{total} files | {chunks} chunks | {rate} chunks/s | ETA {eta_formatted} | {file}',
      stream: process.stderr,
      noTTYOutput: false,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const started = performance.now();
  let lastLine = 0;
  const onProgress = (p: JobProgress) => {
    const seconds = (performance.now() - started) / 1000;
    const payload = {
      chunks: p.chunksDone,
      rate: (p.chunksDone / Math.max(seconds, 0.001)).toFixed(1),
      file: p.currentFile ?? '',
    };
    if (interactive) {
      if (bar.getTotal() !== p.filesTotal) bar.start(p.filesTotal, p.filesDone, payload);
      bar.update(p.filesDone, payload);
    } else if (!opts.json && (performance.now() - lastLine > 2000 || p.filesDone === p.filesTotal)) {
      lastLine = performance.now();
      console.error(`ingest ${p.filesDone}/${p.filesTotal} files, ${p.chunksDone} chunks, ${payload.rate} chunks/s`);
    }
  };
  try {
    // With PostgreSQL the ingest is queued: a server (TEAMKB_ROLE=all) or a worker runs it.
    const onJob = (id: string) => core.queue && !opts.json && console.error(`queued as job ${id}; a worker runs it`);
    return await core.kb.ingestContent(kb, names, { onProgress, onJob, recreate: false });
  } finally {
    if (interactive) bar.stop();
  }
}

export function printSummary(s: IngestSummary): void {
  console.log(`\nKnowledge base "${s.kb}" — ${s.chunks} chunks written in ${s.seconds.toFixed(1)} s`);
  console.table([
    { result: 'ingested', files: s.ingested.length },
    { result: 'unchanged', files: s.unchanged.length },
    { result: 'failed', files: s.failed.length },
  ]);
  for (const f of s.failed) console.log(`  failed: ${f.file} — ${f.reason}`);
}
