import { createRequire } from 'node:module';

// The charset detector and decoders load on first use: a process that reads no non-UTF-8 file (a
// CLI listing, an idle server) never pays their start-up.
const requireLazily = createRequire(import.meta.url);
const iconv = {
  decode: (bytes: Buffer, encoding: string): string =>
    (requireLazily('iconv-lite') as typeof import('iconv-lite')).decode(bytes, encoding),
  encodingExists: (encoding: string): boolean =>
    (requireLazily('iconv-lite') as typeof import('iconv-lite')).encodingExists(encoding),
};
const jschardet = {
  detect: (bytes: Buffer) => (requireLazily('jschardet') as typeof import('jschardet')).detect(bytes),
};

export interface DecodedText {
  text: string;
  /** Lower-case name of the encoding used, e.g. "utf-8", "utf-8-bom", "utf-16le", "gb18030". */
  encoding: string;
}

export interface DecodeHints {
  /** Charset the container declares (HTML `<meta charset>`, e-mail headers); used only when the bytes are not valid UTF-8. */
  declaredCharset?: string;
}

const SAMPLE_BYTES = 64 * 1024;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes a text file whose encoding is unknown: BOMs first, then UTF-16 without BOM (NUL-byte
 * pattern), then strict UTF-8, then the declared charset, then GB18030 or what jschardet detects.
 */
export function decodeText(bytes: Buffer, hints: DecodeHints = {}): DecodedText {
  if (hasPrefix(bytes, [0xef, 0xbb, 0xbf])) return { text: bytes.subarray(3).toString('utf8'), encoding: 'utf-8-bom' };
  if (hasPrefix(bytes, [0xff, 0xfe])) return { text: iconv.decode(bytes.subarray(2), 'utf-16le'), encoding: 'utf-16le' };
  if (hasPrefix(bytes, [0xfe, 0xff])) return { text: iconv.decode(bytes.subarray(2), 'utf-16be'), encoding: 'utf-16be' };

  const utf16 = guessUtf16WithoutBom(bytes);
  if (utf16) return { text: iconv.decode(bytes, utf16), encoding: utf16 };

  if (isValidUtf8(bytes)) return { text: bytes.toString('utf8'), encoding: 'utf-8' };

  const declared = normaliseCharset(hints.declaredCharset);
  if (declared && declared !== 'utf-8' && iconv.encodingExists(declared)) {
    return { text: iconv.decode(bytes, declared), encoding: declared };
  }
  const detected = detectLegacyEncoding(bytes);
  return { text: iconv.decode(bytes, detected), encoding: detected };
}

/** True when the bytes look like text in some encoding rather than binary data. */
export function looksLikeText(bytes: Buffer): boolean {
  if (hasPrefix(bytes, [0xef, 0xbb, 0xbf]) || hasPrefix(bytes, [0xff, 0xfe]) || hasPrefix(bytes, [0xfe, 0xff])) return true;
  if (guessUtf16WithoutBom(bytes)) return true;
  const sample = bytes.subarray(0, SAMPLE_BYTES);
  let suspicious = 0;
  for (const byte of sample) {
    if (byte === 0) return false;
    // Control characters other than tab, newlines, form feed and escape are rare in text.
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c && byte !== 0x1b) suspicious++;
  }
  return suspicious <= sample.length * 0.01;
}

function hasPrefix(bytes: Buffer, prefix: number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((byte, i) => bytes[i] === byte);
}

function isValidUtf8(bytes: Buffer): boolean {
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Text in UTF-16 has NUL bytes (from ASCII, newlines) on one side of each code unit; UTF-8 and GBK text never has NULs. */
function guessUtf16WithoutBom(bytes: Buffer): 'utf-16le' | 'utf-16be' | undefined {
  const sample = bytes.subarray(0, SAMPLE_BYTES - (SAMPLE_BYTES % 2));
  if (sample.length < 2) return undefined;
  let evenNuls = 0;
  let oddNuls = 0;
  for (let i = 0; i + 1 < sample.length; i += 2) {
    if (sample[i] === 0) evenNuls++;
    if (sample[i + 1] === 0) oddNuls++;
  }
  const total = evenNuls + oddNuls;
  if (total === 0) return undefined;
  if (oddNuls >= total * 0.95) return 'utf-16le';
  if (evenNuls >= total * 0.95) return 'utf-16be';
  return undefined;
}

function detectLegacyEncoding(bytes: Buffer): string {
  const sample = bytes.subarray(0, SAMPLE_BYTES);
  const guess = jschardet.detect(sample);
  const detected = normaliseCharset(guess.encoding ?? undefined);
  const confidence = guess.confidence ?? 0;
  const otherCjk = detected === 'big5' || detected === 'shift_jis' || detected === 'euc-jp' || detected === 'euc-kr';
  if (otherCjk && confidence >= 0.9 && iconv.encodingExists(detected)) return detected;
  // jschardet is unsure on short text; the byte structure of GB18030 is the stronger signal.
  if (isMostlyWellFormedGb18030(sample)) return 'gb18030';
  if (detected && iconv.encodingExists(detected)) return detected;
  return 'windows-1252';
}

/** GB18030 multi-byte sequences with at most a stray broken one in fifty (damaged or cut text). */
function isMostlyWellFormedGb18030(bytes: Buffer): boolean {
  let valid = 0;
  let invalid = 0;
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i]!;
    if (lead < 0x80) {
      i++;
      continue;
    }
    const second = bytes[i + 1];
    if (second === undefined) break; // cut mid-character by the sample
    if (lead === 0x80 || lead === 0xff) {
      invalid++;
      i++;
    } else if (second >= 0x30 && second <= 0x39) {
      const third = bytes[i + 2] ?? 0x81;
      const fourth = bytes[i + 3] ?? 0x30;
      if (third >= 0x81 && third <= 0xfe && fourth >= 0x30 && fourth <= 0x39) {
        valid++;
        i += 4;
      } else {
        invalid++;
        i++;
      }
    } else if (second >= 0x40 && second !== 0x7f && second !== 0xff) {
      valid++;
      i += 2;
    } else {
      invalid++;
      i++;
    }
  }
  return valid > 0 && invalid * 50 <= valid;
}

function normaliseCharset(name: string | undefined): string {
  const lower = (name ?? '')
    .trim()
    .toLowerCase()
    .replace(/^["']|["']$/g, '');
  if (lower === 'gb2312' || lower === 'gbk' || lower === 'x-gbk' || lower === 'gb_2312-80' || lower === 'cp936') return 'gb18030';
  if (lower === 'ascii' || lower === 'us-ascii' || lower === 'utf8') return 'utf-8';
  if (lower === 'shift-jis' || lower === 'sjis') return 'shift_jis';
  return lower;
}
