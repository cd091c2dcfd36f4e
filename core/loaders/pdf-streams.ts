import type { SourceFile } from '../documents.js';
import { fileError, throwIfAborted } from './failures.js';
import { countInflated } from './inflated-size.js';
import { formatBytes } from './zip-guard.js';

const STREAM = Buffer.from('stream');
const END_STREAM = Buffer.from('endstream');

/**
 * Refuses a PDF whose compressed streams decompress past `maxBytes` in total, before pdf.js reads
 * it: pdf.js inflates a stream whole into memory outside the JavaScript heap, so a small file with
 * one huge Flate stream would otherwise take gigabytes. Streams are counted with zlib, a chunk at a
 * time, keeping nothing.
 */
export async function assertPdfStreamsWithinLimit(file: SourceFile, maxBytes: number, signal?: AbortSignal): Promise<void> {
  const bytes = file.bytes;
  let total = 0;
  for (let at = bytes.indexOf(STREAM); at >= 0; at = bytes.indexOf(STREAM, at)) {
    throwIfAborted(signal, file);
    if (at >= 3 && bytes.toString('latin1', at - 3, at) === 'end') {
      at += STREAM.length;
      continue;
    }
    let start = at + STREAM.length;
    if (bytes[start] === 0x0d) start++;
    if (bytes[start] === 0x0a) start++;
    const end = bytes.indexOf(END_STREAM, start);
    const data = bytes.subarray(start, end < 0 ? bytes.length : end);
    at = end < 0 ? bytes.length : end + END_STREAM.length;
    if (!looksZlib(data)) continue;
    total += await inflatedSize(data, maxBytes - total + 1);
    if (total > maxBytes) {
      throw fileError(
        'FILE_TOO_LARGE',
        file,
        `its compressed streams expand to more than ${formatBytes(maxBytes)} (kb.limits.pdfMaxInflatedBytes)`,
      );
    }
  }
}

/** A zlib header: deflate method and a checksum that divides by 31. */
function looksZlib(data: Buffer): boolean {
  if (data.length < 2) return false;
  const cmf = data[0]!;
  const flg = data[1]!;
  return (cmf & 0x0f) === 8 && (cmf * 256 + flg) % 31 === 0;
}

/** Bytes `data` inflates to, stopping past `cap`; damaged data counts what came out. */
async function inflatedSize(data: Buffer, cap: number): Promise<number> {
  return (await countInflated(data, cap, 'zlib')).total;
}
