import { join } from 'node:path';
import { TeamKbError } from '../../core/errors.js';
import {
  type CatalogEntry,
  catalogEntryDir,
  catalogEntryLoadPath,
  describeManualDownload,
  isCatalogEntryPresent,
} from './catalog.js';
import { type DownloadProgress, downloadFile } from './download.js';
import { createDownloadProgressBar, createDownloadProgressLog, type ProgressReporter } from './download-progress.js';
import { type ModelLogger, silentLogger } from './logger.js';

export interface PullOptions {
  logger?: ModelLogger;
  signal?: AbortSignal;
  onProgress?: (progress: DownloadProgress) => void;
}

/** Downloads every file of a catalog entry into <modelsDir>/<name>/; returns the path a runtime loads. */
export async function pullCatalogEntry(entry: CatalogEntry, modelsDir: string, options: PullOptions = {}): Promise<string> {
  const dir = catalogEntryDir(modelsDir, entry);
  for (const file of entry.files) {
    try {
      await downloadFile({
        url: file.url,
        dest: join(dir, file.path),
        sha256: file.sha256,
        signal: options.signal,
        onProgress: options.onProgress,
        logger: options.logger,
      });
    } catch (err) {
      if (!(err instanceof TeamKbError) || err.code !== 'MODEL_DOWNLOAD_FAILED' || entry.files.length === 1) throw err;
      throw new TeamKbError(
        'MODEL_DOWNLOAD_FAILED',
        `${err.message} All files of ${entry.name}: ${describeManualDownload(modelsDir, entry)}`,
        {
          cause: err,
          details: err.details,
        },
      );
    }
  }
  return catalogEntryLoadPath(modelsDir, entry);
}

function defaultReporter(logger: ModelLogger): ProgressReporter {
  return process.stderr.isTTY ? createDownloadProgressBar() : createDownloadProgressLog((line) => logger.info(line));
}

/**
 * The local path of a catalog model: present → its path; missing and downloads allowed → pulled
 * with progress; missing otherwise → MODEL_NOT_FOUND saying what to fetch and where to put it.
 */
export async function ensureCatalogModel(
  entry: CatalogEntry,
  modelsDir: string,
  options: { allowDownload?: boolean; logger?: ModelLogger; signal?: AbortSignal } = {},
): Promise<string> {
  if (isCatalogEntryPresent(modelsDir, entry)) return catalogEntryLoadPath(modelsDir, entry);
  if (!options.allowDownload) {
    throw new TeamKbError(
      'MODEL_NOT_FOUND',
      `Model "${entry.name}" (download size: ${entry.size}) is not in ${catalogEntryDir(modelsDir, entry)}. Run \`npm run models -- pull ${entry.name}\`, or download: ${describeManualDownload(modelsDir, entry)}`,
      { details: { model: entry.name, modelsDir } },
    );
  }
  const logger = options.logger ?? silentLogger;
  logger.info(`Downloading model ${entry.name} (download size: ${entry.size}) into ${catalogEntryDir(modelsDir, entry)}`);
  const reporter = defaultReporter(logger);
  try {
    return await pullCatalogEntry(entry, modelsDir, { logger, signal: options.signal, onProgress: reporter.onProgress });
  } finally {
    reporter.stop();
  }
}
