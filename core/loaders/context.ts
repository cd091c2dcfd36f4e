import type { OcrEngineChoice, OcrResolution } from './ocr.js';
import { getOcrEngine } from './ocr.js';
import type { ZipLimits } from './zip-guard.js';

/** What format loaders share: archive limits and the (lazily created) OCR engine. */
export interface LoaderContext {
  zipLimits: ZipLimits;
  ocr(): Promise<OcrResolution>;
}

export function createLoaderContext(zipLimits: ZipLimits, ocrEngine: OcrEngineChoice, ocrLanguages: string): LoaderContext {
  return { zipLimits, ocr: () => getOcrEngine(ocrEngine, ocrLanguages) };
}
