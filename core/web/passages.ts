import { packPieces, splitPieces } from '../text/splitter.js';

export const DEFAULT_PASSAGE_CHARS = 500;
/** Very long pages add noise and ranking time; their opening part carries the article. */
export const MAX_PAGE_CHARS = 40_000;
/** Shorter passages are mostly leftovers (bylines, share buttons) unless they are all a page has. */
const MIN_PASSAGE_CHARS = 20;

/**
 * Splits page text into passages of about `size` characters on paragraph and sentence boundaries
 * (Chinese 。！？； and English . ! ?), with a little overlap so a sentence cut at a boundary
 * still reads whole in one of the two passages.
 */
export function splitIntoPassages(text: string, size = DEFAULT_PASSAGE_CHARS): string[] {
  const clean = text
    .slice(0, MAX_PAGE_CHARS)
    .replace(/[ \t\u00a0\u3000]+/g, ' ')
    .replace(/\n\s*\n\s*/g, '\n\n')
    .trim();
  if (!clean) return [];
  const passages = packPieces(splitPieces(clean, size), { chunkSize: size, chunkOverlap: Math.floor(size / 10) });
  const substantial = passages.filter((p) => p.length >= MIN_PASSAGE_CHARS);
  return substantial.length > 0 ? substantial : passages;
}
