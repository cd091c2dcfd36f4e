import type WordExtractor from 'word-extractor';
import type { Loader } from '../loader.js';
import { BlockList, finishDoc } from './blocks.js';
import { cfb } from './cfb-reader.js';
import { causeLine, fileError, looksEncrypted, raceAbort, throwIfAborted } from './failures.js';

/** Word 97-2003 (.doc) through word-extractor: body, text boxes, then foot- and endnotes. */
export function createDocLoader(): Loader {
  return {
    extensions: ['doc'],
    async load(file, signal) {
      throwIfAborted(signal, file);
      if (isEncryptedWordFile(file.bytes)) {
        throw fileError('FILE_ENCRYPTED', file, 'the document is password-protected; remove the password and upload it again');
      }
      let document: Awaited<ReturnType<WordExtractor['extract']>>;
      try {
        const { default: Extractor } = await import('word-extractor');
        document = await raceAbort(new Extractor().extract(file.bytes), signal, file);
      } catch (err) {
        if ((err as { code?: string }).code === 'CANCELLED') throw err;
        if (looksEncrypted(err))
          throw fileError(
            'FILE_ENCRYPTED',
            file,
            'the document is password-protected; remove the password and upload it again',
            err,
          );
        throw fileError('FILE_CORRUPT', file, `not a readable Word 97-2003 document (${causeLine(err)})`, err);
      }
      const blocks = new BlockList();
      blocks.prose(document.getBody());
      blocks.prose(document.getTextboxes({ includeHeadersAndFooters: false, includeBody: true }));
      blocks.prose([document.getFootnotes(), document.getEndnotes()].join('\n'), { headings: ['Notes'] });
      return finishDoc(file, blocks.blocks);
    },
  };
}

/** The Word file header (FIB) has an fEncrypted flag: bit 8 of the 16-bit word at offset 0x0A. */
function isEncryptedWordFile(bytes: Buffer): boolean {
  try {
    const stream = cfb().find(cfb().read(bytes, { type: 'buffer' }), 'WordDocument');
    const content = stream?.content;
    if (!content || content.length < 12) return false;
    return ((content[0x0a]! | (content[0x0b]! << 8)) & 0x0100) !== 0;
  } catch {
    return false;
  }
}
