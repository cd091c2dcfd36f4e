import { createHash } from 'node:crypto';

export const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

/** Deterministic chunk id: the same text at the same place in the same file keeps its id. */
export function chunkId(kb: string, fileName: string, ordinal: number, text: string): string {
  return sha256(`${kb}\u0000${fileName}\u0000${ordinal}\u0000${sha256(text)}`).slice(0, 32);
}

/** Stable file id within a KB. */
export function fileId(kb: string, fileName: string): string {
  return sha256(`${kb}\u0000${fileName}`).slice(0, 24);
}
