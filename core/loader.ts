import type { LoadedDoc, SourceFile } from './documents.js';

export interface Loader {
  /** Lower-case extensions without the dot. */
  readonly extensions: readonly string[];
  load(file: SourceFile, signal?: AbortSignal): Promise<LoadedDoc>;
}
