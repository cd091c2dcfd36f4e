import type { LoadedDoc, SourceFile } from '../documents.js';
import { TeamKbError } from '../errors.js';
import type { Loader } from '../loader.js';
import { createLoaderContext, DEFAULT_PARSE_LIMITS, type LoaderContext } from './context.js';
import { createDocLoader } from './doc.js';
import { createEmlLoader } from './eml.js';
import { causeLine, fileError } from './failures.js';
import { createHtmlLoader } from './html.js';
import { createImageLoader } from './image.js';
import { createJsonLoader } from './json.js';
import { createMarkdownLoader } from './markdown.js';
import { DEFAULT_OCR_LANGUAGES, type OcrEngineChoice } from './ocr.js';
import { createOfficeLoader } from './office.js';
import { createPdfLoader } from './pdf.js';
import { createPptLoader } from './ppt.js';
import { chooseExtension } from './routing.js';
import { createRstLoader } from './rst.js';
import { createSheetLoader } from './sheet.js';
import { createTextLoader } from './text.js';
import { DEFAULT_ZIP_LIMITS } from './zip-guard.js';

export interface LoaderOptions {
  /** Tesseract language list, e.g. "chi_sim+eng" (the default); the bundled PaddleOCR engine always reads Chinese and English. */
  ocrLanguages?: string;
  /** Which OCR engine to use (default 'auto': bundled PaddleOCR, else the tesseract CLI). 'none' turns OCR off. */
  ocrEngine?: OcrEngineChoice;
  /** Most entries a zip-based document (docx, xlsx, pptx, odt, ods, odp, epub) may hold; default 10,000. */
  maxZipEntries?: number;
  /** Most bytes a zip-based document may expand to; default 256 MB. */
  maxInflatedBytes?: number;
  /** Most elements an HTML page (or HTML e-mail) may hold before it is read as plain text; default 50,000. */
  maxHtmlElements?: number;
  /** Deepest HTML nesting before a page is read as plain text; default 256. */
  maxHtmlDepth?: number;
  /** Most bytes all compressed streams of one PDF may decompress to; default 128 MB. */
  maxPdfInflatedBytes?: number;
  /** Deepest nesting of a JSON file; default 100. */
  maxJsonDepth?: number;
}

export interface LoaderSet {
  /** Lower-case extensions without the dot, sorted. */
  supportedExtensions: string[];
  loaderFor(ext: string): Loader | undefined;
  /**
   * Loads any supported file, checking its content against its extension: a file whose content is
   * another supported format is read as that format (with a warning); anything else is rejected
   * with a TeamKbError that names the file.
   */
  load(file: SourceFile, signal?: AbortSignal): Promise<LoadedDoc>;
}

/**
 * Every format loader, running in the calling thread. The server reads uploads through
 * createLoaderPool (worker threads with time and memory limits), which runs this set inside each worker.
 */
export function createLoaders(options: LoaderOptions = {}): LoaderSet {
  return createLoaderSet(contextFor(options));
}

export function contextFor(options: LoaderOptions): LoaderContext {
  return createLoaderContext(
    {
      maxEntries: options.maxZipEntries ?? DEFAULT_ZIP_LIMITS.maxEntries,
      maxInflatedBytes: options.maxInflatedBytes ?? DEFAULT_ZIP_LIMITS.maxInflatedBytes,
    },
    options.ocrEngine ?? 'auto',
    options.ocrLanguages ?? DEFAULT_OCR_LANGUAGES,
    {
      html: {
        maxElements: options.maxHtmlElements ?? DEFAULT_PARSE_LIMITS.html.maxElements,
        maxDepth: options.maxHtmlDepth ?? DEFAULT_PARSE_LIMITS.html.maxDepth,
      },
      pdfMaxInflatedBytes: options.maxPdfInflatedBytes ?? DEFAULT_PARSE_LIMITS.pdfMaxInflatedBytes,
      jsonMaxDepth: options.maxJsonDepth ?? DEFAULT_PARSE_LIMITS.jsonMaxDepth,
    },
  );
}

/** The loaders over a given context (the worker passes one whose OCR runs in the main thread). */
export function createLoaderSet(context: LoaderContext): LoaderSet {
  const loaders: Loader[] = [
    createPdfLoader(context),
    createOfficeLoader('docx', context),
    createDocLoader(),
    createOfficeLoader('pptx', context),
    createPptLoader(context),
    createSheetLoader(context),
    createOfficeLoader('odt', context),
    createOfficeLoader('odp', context),
    createOfficeLoader('rtf', context),
    createOfficeLoader('epub', context),
    createTextLoader(),
    createMarkdownLoader(),
    createRstLoader(),
    createHtmlLoader(context),
    createJsonLoader(context),
    createEmlLoader(context),
    createImageLoader(context),
  ];
  const byExtension = new Map<string, Loader>();
  for (const loader of loaders) for (const ext of loader.extensions) byExtension.set(ext, loader);
  const supportedExtensions = [...byExtension.keys()].sort();
  const loaderFor = (ext: string) => byExtension.get(normaliseExtension(ext));

  return {
    supportedExtensions,
    loaderFor,
    async load(file, signal) {
      const extension = normaliseExtension(file.extension);
      if (!byExtension.has(extension)) {
        const shown = extension ? `.${extension} files are not supported` : 'files without an extension are not supported';
        throw fileError('FILE_UNSUPPORTED', file, `${shown}; supported types: ${supportedExtensions.join(', ')}`);
      }
      if (file.bytes.length === 0) throw fileError('FILE_EMPTY', file, 'the file is empty');
      const route = chooseExtension(file, extension);
      const loader = byExtension.get(route.extension)!;
      try {
        const doc = await loader.load({ ...file, extension: route.extension }, signal);
        return { ...doc, source: file.name, warnings: route.warning ? [route.warning, ...doc.warnings] : doc.warnings };
      } catch (err) {
        if (err instanceof TeamKbError) throw err;
        throw fileError('FILE_CORRUPT', file, `cannot be read (${causeLine(err)})`, err);
      }
    },
  };
}

function normaliseExtension(ext: string): string {
  return ext.trim().toLowerCase().replace(/^\./, '');
}
