import type { SourceFile } from '../documents.js';
import type { Loader } from '../loader.js';
import { BlockList, finishDoc } from './blocks.js';
import type { LoaderContext } from './context.js';
import { causeLine, fileError, looksEncrypted, raceAbort, throwIfAborted } from './failures.js';
import { type AstNode, addDocumentBlocks, addSlideBlocks } from './office-ast.js';
import { assertZipWithinLimits } from './zip-guard.js';

type OfficeFormat = 'docx' | 'pptx' | 'odt' | 'odp' | 'rtf' | 'epub';

const ZIP_FORMATS = new Set<OfficeFormat>(['docx', 'pptx', 'odt', 'odp', 'epub']);
const SLIDE_FORMATS = new Set<OfficeFormat>(['pptx', 'odp']);

/** Word, PowerPoint, OpenDocument text/presentation, RTF and EPUB through officeparser (its OCR stays off). */
export function createOfficeLoader(format: OfficeFormat, context: LoaderContext): Loader {
  return {
    extensions: [format],
    async load(file, signal) {
      throwIfAborted(signal, file);
      if (ZIP_FORMATS.has(format)) await assertZipWithinLimits(file, context.zipLimits, signal);
      const content = await parseWithOfficeParser(file, format, context, signal);
      const blocks = new BlockList();
      if (SLIDE_FORMATS.has(format)) addSlideBlocks(content, blocks);
      else addDocumentBlocks(content, blocks);
      return finishDoc(file, blocks.blocks);
    },
  };
}

export async function parseWithOfficeParser(
  file: SourceFile,
  format: OfficeFormat,
  context: LoaderContext,
  signal?: AbortSignal,
): Promise<AstNode[]> {
  try {
    // Loaded on first use: officeparser pulls in pdf.js and more, which a process that never reads Office files can skip.
    const { parseOffice } = await import('officeparser');
    const ast = await raceAbort(
      parseOffice(file.bytes, {
        fileType: format,
        ocr: false,
        extractAttachments: false,
        ignoreComments: true,
        ignoreHeadersAndFooters: true,
        ignorePageGeometry: true,
        abortSignal: signal ?? null,
        decompressionLimits: {
          maxZipEntries: context.zipLimits.maxEntries,
          maxUncompressedBytes: context.zipLimits.maxInflatedBytes,
        },
      }),
      signal,
      file,
    );
    return ast.content as unknown as AstNode[];
  } catch (err) {
    throw officeParserFailure(file, err);
  }
}

function officeParserFailure(file: SourceFile, err: unknown) {
  if ((err as { code?: string }).code === 'CANCELLED') return err;
  const code = (err as { officeIssue?: { code?: string } }).officeIssue?.code ?? '';
  if (looksEncrypted(err) || /PASSWORD|DECRYPTION/.test(code)) {
    return fileError('FILE_ENCRYPTED', file, 'the document is password-protected; remove the password and upload it again', err);
  }
  if (/LIMIT/.test(code)) return fileError('FILE_TOO_LARGE', file, `the document is too large to read (${causeLine(err)})`, err);
  return fileError('FILE_CORRUPT', file, `the document is damaged or not in the format its name says (${causeLine(err)})`, err);
}
