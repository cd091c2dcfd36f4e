import type { Loader } from '../loader.js';
import { BlockList, finishDoc } from './blocks.js';
import type { LoaderContext } from './context.js';
import { causeLine, fileError, looksEncrypted, throwIfAborted } from './failures.js';
import { rawPixelsToPng } from './images.js';
import { OCR_INSTALL_HINT, type OcrResolution } from './ocr.js';
import { openPdf, type PdfDocument, pageImages, pageText } from './pdf-runtime.js';
import { assertPdfStreamsWithinLimit } from './pdf-streams.js';

/** A page with less text than this (spaces excluded) but with pictures is treated as scanned. */
const SCANNED_PAGE_CHARS = 20;
/** Pictures smaller than this on either side are icons or rules, not text. */
const MIN_IMAGE_SIDE = 24;

/** PDF: one block per page (meta.page), scanned pages read by OCR when an engine works. */
export function createPdfLoader(context: LoaderContext): Loader {
  return {
    extensions: ['pdf'],
    async load(file, signal) {
      throwIfAborted(signal, file);
      await assertPdfStreamsWithinLimit(file, context.limits.pdfMaxInflatedBytes, signal);
      let pdf: PdfDocument;
      try {
        pdf = await openPdf(file.bytes);
      } catch (err) {
        if (looksEncrypted(err))
          throw fileError('FILE_ENCRYPTED', file, 'the PDF is password-protected; remove the password and upload it again', err);
        throw fileError('FILE_CORRUPT', file, `not a readable PDF (${causeLine(err)})`, err);
      }
      const blocks = new BlockList();
      const unreadScans: number[] = [];
      let ocrProblem: string | undefined;
      try {
        for (let page = 1; page <= pdf.numPages; page++) {
          throwIfAborted(signal, file);
          let text = await pageText(pdf, page);
          if (text.replace(/\s/g, '').length < SCANNED_PAGE_CHARS) {
            const scanned = await readScannedPage(pdf, page, context);
            if (scanned.problem) {
              unreadScans.push(page);
              ocrProblem ??= scanned.problem;
            }
            text = [text, scanned.text].filter(Boolean).join('\n');
          }
          blocks.prose(text, { page });
        }
      } catch (err) {
        if ((err as { code?: string }).code === 'CANCELLED') throw err;
        throw fileError('FILE_CORRUPT', file, `the PDF is damaged (${causeLine(err)})`, err);
      } finally {
        await pdf.destroy();
      }
      const warnings: string[] = [];
      if (unreadScans.length > 0) {
        if (blocks.blocks.length === 0) {
          throw fileError(
            'OCR_UNAVAILABLE',
            file,
            `the PDF is scanned (pictures of text) and ${ocrProblem}; ${OCR_INSTALL_HINT}`,
          );
        }
        warnings.push(`${describePages(unreadScans)} look scanned and were not read: ${ocrProblem}`);
      }
      return finishDoc(file, blocks.blocks, warnings);
    },
  };
}

async function readScannedPage(
  pdf: PdfDocument,
  page: number,
  context: LoaderContext,
): Promise<{ text: string; problem?: string }> {
  const images = (await pageImages(pdf, page)).filter((image) => image.width >= MIN_IMAGE_SIDE && image.height >= MIN_IMAGE_SIDE);
  if (images.length === 0) return { text: '' };
  const ocr: OcrResolution = await context.ocr();
  if (!ocr.engine) return { text: '', problem: ocr.reason };
  const texts: string[] = [];
  for (const image of images) {
    try {
      texts.push(await ocr.engine.recognize(await rawPixelsToPng(image.data, image.width, image.height, image.channels)));
    } catch (err) {
      return { text: texts.join('\n'), problem: `OCR failed (${causeLine(err)})` };
    }
  }
  return { text: texts.join('\n') };
}

function describePages(pages: number[]): string {
  const shown = pages.slice(0, 10).join(', ');
  const more = pages.length > 10 ? ` and ${pages.length - 10} more` : '';
  return `${pages.length === 1 ? 'page' : 'pages'} ${shown}${more}`;
}
