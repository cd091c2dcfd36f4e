import cliProgress from 'cli-progress';
import type { DownloadProgress } from './download.js';

const MB = 1024 * 1024;

export interface ProgressReporter {
  onProgress(progress: DownloadProgress): void;
  stop(): void;
}

/** One terminal progress bar per file (on stderr), switched as files change. */
export function createDownloadProgressBar(stream: NodeJS.WriteStream = process.stderr): ProgressReporter {
  let bar: cliProgress.SingleBar | undefined;
  let current: string | undefined;
  const stop = () => {
    bar?.stop();
    bar = undefined;
    current = undefined;
  };
  return {
    onProgress({ file, receivedBytes, totalBytes }) {
      const total = Math.max(1, Math.round((totalBytes ?? receivedBytes) / MB));
      if (file !== current) {
        stop();
        current = file;
        bar = new cliProgress.SingleBar(
          { stream, format: `${file} [{bar}] {percentage}% | {value}/{total} MB | ETA {eta_formatted}`, hideCursor: true },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total, 0);
      }
      bar?.setTotal(total);
      bar?.update(Math.round(receivedBytes / MB));
    },
    stop,
  };
}

/** For logs that are not a terminal: one line per 10 % (or per 100 MB when the size is unknown). */
export function createDownloadProgressLog(write: (line: string) => void): ProgressReporter {
  const last = new Map<string, number>();
  return {
    onProgress({ file, receivedBytes, totalBytes }) {
      const step = totalBytes ? Math.floor((receivedBytes / totalBytes) * 10) : Math.floor(receivedBytes / (100 * MB));
      if (last.get(file) === step) return;
      last.set(file, step);
      const done = Math.round(receivedBytes / MB);
      write(totalBytes ? `${file}: ${done}/${Math.round(totalBytes / MB)} MB` : `${file}: ${done} MB`);
    },
    stop() {},
  };
}
