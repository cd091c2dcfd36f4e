/** Public surface of the model layer: factories, test fakes, catalog and downloads. */
export { type BatchLimits, planBatches } from './batching.js';
export {
  type CatalogEntry,
  type CatalogFile,
  catalogEntryDir,
  catalogEntryLoadPath,
  DEFAULT_CATALOG_PATH,
  defaultCatalogEntry,
  describeManualDownload,
  findCatalogEntry,
  isCatalogEntryPresent,
  loadCatalog,
  type ModelCatalog,
} from './catalog.js';
export { ensureCatalogModel, type PullOptions, pullCatalogEntry } from './catalog-pull.js';
export { type CreateEmbedderOptions, createEmbedder } from './create-embedder.js';
export { type CreateLlmOptions, createLlm } from './create-llm.js';
export type { CreateModelOptions } from './create-options.js';
export { type CreateRerankerOptions, createReranker } from './create-reranker.js';
export { type DownloadFileOptions, type DownloadProgress, type DownloadResult, downloadFile, sha256File } from './download.js';
export { createDownloadProgressBar, createDownloadProgressLog, type ProgressReporter } from './download-progress.js';
export { createFakeEmbedder, fakeVector } from './embedder-fake.js';
export { createEchoLlm, createScriptedLlm, type ScriptedLlmOptions } from './fake-llm.js';
export { type GpuSetting, getLlamaRuntime, resolveThreads } from './llama-runtime.js';
export type { ModelLogger } from './logger.js';
export { createFakeReranker } from './reranker-fake.js';
export { type ModelSpec, parseModelSpec } from './spec.js';
export { cosine, l2NormalizeInPlace } from './vector-math.js';
