import type { ParseLimitsConfig } from '../../config/schema.js';
import type { LoaderPoolOptions } from './loader-pool.js';

/** Pool options from the kb.limits settings. */
export function loaderPoolOptions(limits: ParseLimitsConfig, ocrLanguages: string): LoaderPoolOptions {
  return {
    ocrLanguages,
    workers: limits.parseWorkers,
    timeoutMs: limits.parseTimeoutSeconds * 1000,
    heapMb: limits.parseHeapMb,
    maxHtmlElements: limits.htmlMaxElements,
    maxHtmlDepth: limits.htmlMaxDepth,
    maxPdfInflatedBytes: limits.pdfMaxInflatedBytes,
    maxZipEntries: limits.archiveMaxEntries,
    maxInflatedBytes: limits.archiveMaxInflatedBytes,
    maxJsonDepth: limits.jsonMaxDepth,
  };
}
