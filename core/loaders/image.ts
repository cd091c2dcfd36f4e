import type { Loader } from '../loader.js';
import { BlockList, finishDoc } from './blocks.js';
import type { LoaderContext } from './context.js';
import { causeLine, fileError, raceAbort, throwIfAborted } from './failures.js';
import { toOcrPng } from './images.js';
import { OCR_INSTALL_HINT } from './ocr.js';

/** Images: text found by OCR (Chinese and English). */
export function createImageLoader(context: LoaderContext): Loader {
  return {
    extensions: ['png', 'jpg', 'jpeg', 'webp', 'bmp'],
    async load(file, signal) {
      throwIfAborted(signal, file);
      let png: Buffer;
      try {
        png = await toOcrPng(file.bytes, file.extension === 'bmp');
      } catch (err) {
        throw fileError('FILE_CORRUPT', file, `the image cannot be decoded (${causeLine(err)})`, err);
      }
      const ocr = await context.ocr();
      if (!ocr.engine) throw fileError('OCR_UNAVAILABLE', file, `images need OCR, but ${ocr.reason}; ${OCR_INSTALL_HINT}`);
      let text: string;
      try {
        text = await raceAbort(ocr.engine.recognize(png), signal, file);
      } catch (err) {
        if ((err as { code?: string }).code === 'CANCELLED') throw err;
        throw fileError('OCR_UNAVAILABLE', file, `OCR failed (${causeLine(err)})`, err);
      }
      const blocks = new BlockList();
      blocks.prose(text);
      if (blocks.blocks.length === 0) throw fileError('FILE_EMPTY', file, 'OCR found no text in the image');
      return finishDoc(file, blocks.blocks);
    },
  };
}
