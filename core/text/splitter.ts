import type { ChunkMeta } from '../chunk.js';
import type { DocBlock, LoadedDoc } from '../documents.js';

export interface SplitOptions {
  /** Target maximum characters per chunk (code points). */
  chunkSize: number;
  /** Characters repeated from the end of one chunk at the start of the next. */
  chunkOverlap: number;
}

export interface TextChunk {
  text: string;
  meta: ChunkMeta;
}

/**
 * Separators tried in order: paragraphs, lines, sentence ends (Chinese and English), clauses, words.
 * Each keeps its delimiter at the end of the left piece so nothing is lost.
 */
const SEPARATORS: RegExp[] = [/(?<=\n\s*\n)/u, /(?<=\n)/u, /(?<=[。！？；!?])|(?<=[.;:](?=\s))/u, /(?<=[，、,）)])|(?<=\s)/u];

const codePoints = (s: string): number => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

/** Cuts by code points so a surrogate pair is never split. */
function hardCut(text: string, size: number): string[] {
  const chars = Array.from(text);
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += size) out.push(chars.slice(i, i + size).join(''));
  return out;
}

/** Splits text into pieces no longer than `size`, preferring the coarsest separator that works. */
export function splitPieces(text: string, size: number, level = 0): string[] {
  if (codePoints(text) <= size) return [text];
  const separator = SEPARATORS[level];
  if (!separator) return hardCut(text, size);
  const parts = text.split(separator).filter((p) => p.length > 0);
  if (parts.length <= 1) return splitPieces(text, size, level + 1);
  return parts.flatMap((p) => (codePoints(p) <= size ? [p] : splitPieces(p, size, level + 1)));
}

/** The tail of a chunk to repeat as overlap, starting at a sentence or word boundary when possible. */
function overlapTail(text: string, overlap: number): string {
  if (overlap <= 0) return '';
  const chars = Array.from(text);
  if (chars.length <= overlap) return '';
  const tail = chars.slice(chars.length - overlap).join('');
  const boundary = tail.search(/(?<=[。！？；!?.;，,\s])\S/u);
  return boundary > 0 && boundary < tail.length / 2 ? tail.slice(boundary) : tail;
}

/** Greedily packs pieces into chunks of at most `chunkSize`, with overlap between neighbours. */
export function packPieces(pieces: string[], opts: SplitOptions): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const piece of pieces) {
    if (current && codePoints(current) + codePoints(piece) > opts.chunkSize) {
      chunks.push(current);
      const tail = overlapTail(current, opts.chunkOverlap);
      current = codePoints(tail) + codePoints(piece) <= opts.chunkSize ? tail + piece : piece;
    } else {
      current += piece;
    }
  }
  if (current.trim()) chunks.push(current);
  return chunks.map((c) => c.trim()).filter((c) => c.length > 0);
}

function headingLabel(block: DocBlock): string | undefined {
  const path = block.meta.headings?.filter((h) => h.trim());
  return path && path.length > 0 ? path.join(' > ') : undefined;
}

function baseMeta(source: string, block: DocBlock): ChunkMeta {
  const meta: ChunkMeta = { source };
  const { page, sheet, row, rowEnd, slide } = block.meta;
  if (page !== undefined) meta.page = page;
  if (sheet !== undefined) meta.sheet = sheet;
  if (row !== undefined) meta.row = row;
  if (rowEnd !== undefined) meta.rowEnd = rowEnd;
  if (slide !== undefined) meta.slide = slide;
  const heading = headingLabel(block);
  if (heading) meta.heading = heading;
  return meta;
}

/** Loaders start a section's text with its heading line; the heading path prefix replaces it. */
function withoutLeadingHeading(text: string, headings: string[] | undefined): string {
  const last = headings?.at(-1)?.trim();
  if (!last) return text;
  const newline = text.indexOf('\n');
  const first = (newline < 0 ? text : text.slice(0, newline)).replace(/^#+\s*/, '').trim();
  return first === last ? text.slice(newline < 0 ? text.length : newline + 1).trim() || text : text;
}

/**
 * Splits a loaded document into chunks. Prose is split recursively on paragraph, line and
 * sentence boundaries; table blocks (rows with their header names) stay whole when they fit,
 * otherwise they are cut between rows. The section heading is prefixed to each chunk so a
 * chunk read alone still says what it is about.
 */
export function splitDocument(doc: LoadedDoc, opts: SplitOptions): TextChunk[] {
  const out: TextChunk[] = [];
  for (const block of doc.blocks) {
    const meta = baseMeta(doc.source, block);
    const text = withoutLeadingHeading(block.text.trim(), block.meta.headings);
    if (!text) continue;
    const prefix = meta.heading ? `${meta.heading}\n` : '';
    const budget = Math.max(50, opts.chunkSize - codePoints(prefix));
    const pieces = block.kind === 'table' ? splitPieces(text, budget, 1) : splitPieces(text, budget);
    const packed =
      block.kind === 'table'
        ? packPieces(pieces, { chunkSize: budget, chunkOverlap: 0 })
        : packPieces(pieces, { chunkSize: budget, chunkOverlap: Math.min(opts.chunkOverlap, Math.floor(budget / 2)) });
    let cursor = 0;
    for (const body of packed) {
      const found = text.indexOf(body.slice(0, 40), Math.max(0, cursor - opts.chunkOverlap * 2));
      const start = found >= 0 ? found : cursor;
      cursor = start + body.length;
      out.push({ text: prefix + body, meta: { ...meta, start, end: start + body.length } });
    }
  }
  return out;
}
