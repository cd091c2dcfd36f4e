import type { getDocumentProxy } from 'unpdf';

type PdfDocument = Awaited<ReturnType<typeof getDocumentProxy>>;

/** pdf.js is loaded on first use, so a parse worker that never meets a PDF starts without it. */
const unpdf = () => import('unpdf');

interface ArrayBufferWithTransfer {
  transferToFixedLength?: (length?: number) => ArrayBuffer;
}

/**
 * pdf.js 5 calls ArrayBuffer.prototype.transferToFixedLength (ES2024, Node >= 21). On Node 20 its
 * absence makes font and image extraction fail quietly, so a copying stand-in is installed once.
 */
function ensureArrayBufferTransfer(): void {
  const proto = ArrayBuffer.prototype as unknown as ArrayBufferWithTransfer;
  if (typeof proto.transferToFixedLength === 'function') return;
  Object.defineProperty(ArrayBuffer.prototype, 'transferToFixedLength', {
    configurable: true,
    writable: true,
    value(this: ArrayBuffer, length?: number): ArrayBuffer {
      const size = length ?? this.byteLength;
      const copy = new ArrayBuffer(size);
      new Uint8Array(copy).set(new Uint8Array(this, 0, Math.min(size, this.byteLength)));
      return copy;
    },
  });
}

export async function openPdf(bytes: Buffer): Promise<PdfDocument> {
  ensureArrayBufferTransfer();
  // A copy: pdf.js may detach the buffer it is given.
  const { getDocumentProxy } = await unpdf();
  return getDocumentProxy(new Uint8Array(bytes), { verbosity: 0, isEvalSupported: false });
}

export interface PdfImage {
  data: Uint8ClampedArray;
  width: number;
  height: number;
  channels: 1 | 3 | 4;
}

export async function pageImages(pdf: PdfDocument, pageNumber: number): Promise<PdfImage[]> {
  const { extractImages } = await unpdf();
  return extractImages(pdf, pageNumber);
}

/** Page text in reading order as pdf.js reports it, line ends kept. */
export async function pageText(pdf: PdfDocument, pageNumber: number): Promise<string> {
  const page = await pdf.getPage(pageNumber);
  try {
    const content = await page.getTextContent();
    let text = '';
    for (const item of content.items) {
      if (!('str' in item)) continue;
      text += item.str;
      if (item.hasEOL) text += '\n';
    }
    return text;
  } finally {
    page.cleanup();
  }
}

export type { PdfDocument };
