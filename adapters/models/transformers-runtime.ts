import { type ErrorCode, TeamKbError } from '../../core/errors.js';

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
