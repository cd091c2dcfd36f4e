import type { Chunk } from '../chunk.js';
import type { Registry } from '../registry.js';
import { neighbourOverlap } from '../retrieval/neighbours.js';
import type { VectorStore } from '../vector-store.js';

/** A cited passage with the text around it, as its page shows it. */
export interface Passage {
  kb: string;
  chunkId: string;
  file: string;
  page?: number;
  /** Heading path ("Guide > Install"), or the sheet and row of a table. */
  section?: string;
  slide?: number;
  /** Text of the neighbouring chunks before the passage (overlap removed), possibly empty. */
  before: string;
  /** The cited passage itself. */
  text: string;
  after: string;
}

/** Neighbouring chunks read on each side of the passage. */
export const PASSAGE_CONTEXT_CHUNKS = 2;

/** A chunk's text without the heading line the splitter prefixes, when it is the passage's own heading. */
function body(chunk: Chunk, heading: string | undefined): string {
  const prefix = chunk.meta.heading ? `${chunk.meta.heading}\n` : '';
  if (prefix && chunk.meta.heading === heading && chunk.text.startsWith(prefix)) return chunk.text.slice(prefix.length);
  return chunk.text;
}

function sectionOf(chunk: Chunk): string | undefined {
  const { heading, sheet, row } = chunk.meta;
  return heading ?? (sheet ? `${sheet}${row ? ` row ${row}` : ''}` : undefined);
}

/**
 * The chunk `chunkId` of `kb` with its neighbours, or undefined when the store has no such chunk,
 * cannot look chunks up by id, or the chunk belongs to a file version that is not (or no longer)
 * ready — a passage page shows exactly what search could cite.
 */
export async function readPassage(
  deps: { registry: Registry; store: VectorStore },
  kb: string,
  chunkId: string,
): Promise<Passage | undefined> {
  const chunk = await deps.store.chunkById?.(kb, chunkId);
  if (!chunk) return undefined;
  const file = deps.registry.getFileById(chunk.fileId);
  if (!file || file.kb !== kb || file.status !== 'ready') return undefined;
  const wanted: number[] = [];
  for (let d = 1; d <= PASSAGE_CONTEXT_CHUNKS; d++) wanted.push(chunk.ordinal - d, chunk.ordinal + d);
  const around =
    (await deps.store.chunksAt?.(
      kb,
      chunk.fileId,
      wanted.filter((o) => o >= 0),
    )) ?? [];
  const byOrdinal = new Map(around.filter((c) => c.fileId === chunk.fileId).map((c) => [c.ordinal, c]));
  const heading = chunk.meta.heading;
  const text = body(chunk, heading);
  let before = '';
  let first = text;
  for (let o = chunk.ordinal - 1; o >= chunk.ordinal - PASSAGE_CONTEXT_CHUNKS; o--) {
    const prev = byOrdinal.get(o);
    if (!prev) break;
    const piece = body(prev, heading);
    const overlap = neighbourOverlap(piece, first);
    // The neighbour's text up to where the text after it starts again (the splitter's overlap).
    const kept = overlap > 0 ? piece.slice(0, piece.length - overlap) : `${piece}\n`;
    before = kept + before;
    first = piece;
  }
  let after = '';
  let last = text;
  for (let o = chunk.ordinal + 1; o <= chunk.ordinal + PASSAGE_CONTEXT_CHUNKS; o++) {
    const next = byOrdinal.get(o);
    if (!next) break;
    const piece = body(next, heading);
    const overlap = neighbourOverlap(last, piece);
    after += overlap > 0 ? piece.slice(overlap) : `\n${piece}`;
    last = piece;
  }
  const passage: Passage = { kb, chunkId, file: chunk.meta.source, before, text, after };
  if (chunk.meta.page !== undefined) passage.page = chunk.meta.page;
  if (chunk.meta.slide !== undefined) passage.slide = chunk.meta.slide;
  const section = sectionOf(chunk);
  if (section) passage.section = section;
  return passage;
}
