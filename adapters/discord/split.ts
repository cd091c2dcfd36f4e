/**
 * Splits markdown into messages of at most `limit` characters. Cuts prefer paragraph, line and
 * sentence boundaries (English and Chinese), never fall inside a link or a `[n]` citation marker,
 * and a code fence cut in two is closed at the end of one message and reopened in the next.
 */
export function splitMessage(text: string, limit = 2000): string[] {
  const chunks: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    const { chunk, remainder } = cutOnce(rest, limit);
    if (chunk.trim()) chunks.push(chunk);
    rest = remainder;
  }
  if (rest.trim() || chunks.length === 0) chunks.push(rest);
  return chunks;
}

interface OpenFence {
  /** Offset of the fence line that opened it. */
  start: number;
  marker: string;
  info: string;
}

const FENCE_LINE = /^ {0,3}(`{3,}|~{3,})(.*)$/;
/** Room kept for the closing fence appended to a chunk cut inside a code block. */
const FENCE_RESERVE = 12;
const SENTENCE_END = /[.!?](?=\s)|[。！？；…]/g;
/** Spans a cut must not enter: a numbered citation with its link, a markdown link, a bare `[n]` marker. */
const PROTECTED = /(?:\[\d{1,3}\] )?\[[^\]\n]{0,300}\]\([^)\s]{0,1500}\)|\[\d{1,3}\]/g;

function cutOnce(text: string, limit: number): { chunk: string; remainder: string } {
  const budget = Math.max(1, limit - FENCE_RESERVE);
  const cut = chooseCut(text, budget);
  const fence = openFenceAt(text, cut);
  let chunk = text.slice(0, cut).trimEnd();
  let remainder = text.slice(cut);
  if (fence) {
    chunk = `${chunk}\n${fence.marker}`;
    remainder = `${fence.marker}${fence.info}\n${remainder.replace(/^\n/, '')}`;
  } else {
    remainder = remainder.replace(/^\s+/, '');
  }
  return { chunk, remainder };
}

function chooseCut(text: string, budget: number): number {
  const window = text.slice(0, budget + 1);
  const minCut = Math.floor(budget * 0.4);
  const fence = openFenceAt(text, budget);
  // Keep a code block whole by cutting just before it when that does not waste much of the message.
  if (fence && fence.start >= Math.floor(budget * 0.3)) return fence.start;
  const candidates = fence ? [lastLineBreak(window, budget)] : boundaryCandidates(window, budget);
  for (const candidate of candidates) {
    if (candidate >= minCut) return avoidProtected(text, candidate, budget);
  }
  return avoidProtected(text, hardCut(text, budget), budget);
}

function boundaryCandidates(window: string, budget: number): number[] {
  const paragraph = window.lastIndexOf('\n\n', budget);
  return [
    paragraph < 0 ? -1 : paragraph,
    lastLineBreak(window, budget),
    lastSentenceEnd(window, budget),
    lastSpace(window, budget),
  ];
}

function lastLineBreak(window: string, budget: number): number {
  return window.lastIndexOf('\n', budget);
}

function lastSentenceEnd(window: string, budget: number): number {
  let best = -1;
  for (const match of window.matchAll(SENTENCE_END)) {
    const end = match.index + match[0].length;
    if (end <= budget) best = end;
  }
  return best;
}

function lastSpace(window: string, budget: number): number {
  for (let i = Math.min(budget, window.length - 1); i > 0; i--) {
    if (window[i] === ' ' || window[i] === '\t') return i;
  }
  return -1;
}

function hardCut(text: string, budget: number): number {
  const code = text.charCodeAt(budget - 1);
  // Never separate the two halves of a surrogate pair.
  return code >= 0xd800 && code <= 0xdbff ? budget - 1 : budget;
}

/** Moves a cut that falls inside a link or citation marker to the start of it (or past it when it starts the text). */
function avoidProtected(text: string, cut: number, budget: number): number {
  const scan = text.slice(0, Math.min(text.length, budget + 2000));
  for (const match of scan.matchAll(PROTECTED)) {
    const start = match.index;
    const end = start + match[0].length;
    if (start >= cut) break;
    if (cut < end) {
      if (start > 0) return start;
      return end <= budget ? end : cut;
    }
  }
  return cut;
}

/** The code fence still open at `offset`, if any. */
function openFenceAt(text: string, offset: number): OpenFence | undefined {
  let open: OpenFence | undefined;
  let lineStart = 0;
  while (lineStart < offset) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline < 0 ? text.length : newline;
    if (lineEnd > offset) break;
    const match = FENCE_LINE.exec(text.slice(lineStart, lineEnd));
    if (match) {
      const marker = match[1] as string;
      const rest = (match[2] ?? '').trim();
      if (!open) open = { start: lineStart, marker, info: rest };
      else if (marker[0] === open.marker[0] && marker.length >= open.marker.length && rest === '') open = undefined;
    }
    if (newline < 0) break;
    lineStart = newline + 1;
  }
  return open;
}
