import { type ErrorCode, TeamKbError } from '../../core/errors.js';

/**
 * Loads @huggingface/transformers with local models allowed, remote downloads only when allowed,
 * models and downloads kept in `cacheDir`, and its own logging limited to errors.
 */
export async function loadTransformers(options: { allowDownload?: boolean; cacheDir: string }) {
  const transformers = await import('@huggingface/transformers');
  const { env, LogLevel } = transformers;
  env.allowLocalModels = true;
  env.allowRemoteModels = options.allowDownload === true;
  env.localModelPath = options.cacheDir;
  env.cacheDir = options.cacheDir;
  env.logLevel = LogLevel.ERROR;
  return transformers;
}

/** Session settings shared by our ONNX models: int8 weights on the CPU with explicit threads. */
export const cpuModelOptions = (threads: number) => ({
  dtype: 'q8' as const,
  device: 'cpu' as const,
  session_options: { intraOpNumThreads: threads, interOpNumThreads: 1 },
});

/**
 * Turns a @huggingface/transformers load error into one of ours: missing files, a failed download
 * (only when downloads were allowed), or the model kind's own "unavailable" code.
 */
export function transformersLoadFailure(
  kind: 'Embedding' | 'Reranker',
  model: string,
  err: unknown,
  allowDownload: boolean,
  unavailable: ErrorCode,
): TeamKbError {
  const message = (err as Error)?.message?.split('\n')[0] ?? String(err);
  const what = `${kind} model "${model}"`;
  if (/local_files_only|could not locate|not found|ENOENT/i.test(message)) {
    return new TeamKbError('MODEL_NOT_FOUND', `${what} could not be loaded: ${message}`, { cause: err });
  }
  if (allowDownload && /fetch failed|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|network/i.test(message)) {
    return new TeamKbError(
      'MODEL_DOWNLOAD_FAILED',
      `Could not download ${what.charAt(0).toLowerCase()}${what.slice(1)} from https://huggingface.co/${model} (${message}); download it elsewhere and put the folder in the models dir`,
      { cause: err },
    );
  }
  return new TeamKbError(unavailable, `${what} failed to load: ${message}`, { cause: err });
}
