import { decodeText } from '../text/encoding.js';

export interface DecodedPage {
  text: string;
  /** The encoding actually used, lower case (e.g. "utf-8", "gb18030"). */
  charset: string;
  /** What the page said about itself: the Content-Type charset, else the `<meta>` one. */
  declared?: string;
}

/** The charset parameter of a Content-Type header value. */
export function charsetFromContentType(contentType: string | undefined): string | undefined {
  const match = contentType?.match(/charset\s*=\s*["']?([^"';\s]+)/i);
  return match?.[1];
}

/** `<meta charset>` or `<meta http-equiv="Content-Type" content="…; charset=…">` near the top. */
export function charsetFromMeta(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 8192)).toString('latin1');
  for (const tag of head.match(/<meta\b[^>]*>/gi) ?? []) {
    const found = tag.match(/\bcharset\s*=\s*["']?\s*([\w.:-]+)/i);
    if (found?.[1]) return found[1];
  }
  return undefined;
}

/**
 * Decodes a fetched page. The Content-Type charset is the declaration, else `<meta>`; BOMs and
 * valid UTF-8 win over a declaration (pages labelled gb2312 are often UTF-8 in fact, and legacy
 * encodings almost never form valid UTF-8), and undeclared legacy bytes are detected, preferring
 * GB18030 (a superset of GBK and GB2312) when the byte structure fits.
 */
export function decodeHtml(bytes: Uint8Array, contentType?: string): DecodedPage {
  const declared = charsetFromContentType(contentType) ?? charsetFromMeta(bytes);
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const decoded = decodeText(buffer, declared ? { declaredCharset: declared } : {});
  return { text: decoded.text, charset: decoded.encoding, declared };
}
