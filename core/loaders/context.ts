import type { HtmlLimits } from '../text/html-shape.js';
import type { OcrEngineChoice, OcrResolution } from './ocr.js';
import { getOcrEngine } from './ocr.js';
import type { ZipLimits } from './zip-guard.js';

/** Work a single file may cause before any parser runs; each one is a setting under kb.limits. */
export interface ParseLimits {
  html: HtmlLimits;
  /** Most bytes all compressed streams of one PDF may decompress to. */
  pdfMaxInflatedBytes: number;
  /** Deepest nesting of arrays and objects a JSON file may have. */
  jsonMaxDepth: number;
}

export const DEFAULT_PARSE_LIMITS: ParseLimits = {
  html: { maxElements: 50_000, maxDepth: 256 },
  pdfMaxInflatedBytes: 128 * 1024 * 1024,
  jsonMaxDepth: 100,
};

/** What format loaders share: input limits and the (lazily created) OCR engine. */
export interface LoaderContext {
  zipLimits: ZipLimits;
  limits: ParseLimits;
  ocr(): Promise<OcrResolution>;
}

export function createLoaderContext(
  zipLimits: ZipLimits,
  ocrEngine: OcrEngineChoice,
  ocrLanguages: string,
  limits: ParseLimits = DEFAULT_PARSE_LIMITS,
): LoaderContext {
  return { zipLimits, limits, ocr: () => getOcrEngine(ocrEngine, ocrLanguages) };
}
