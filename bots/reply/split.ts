/**
 * The one message splitter. Cuts markdown into pieces whose size (as the platform measures it,
 * after its own conversion) stays within a limit. Cuts prefer, in order: just before a code block,
 * a paragraph break, the start of a top-level line (a list item, not its indented continuation), any
 * line break, a sentence end (English and Chinese), a space. A cut never falls inside a link or a
 * `[n]` citation marker, nor between the two halves of a surrogate pair; a code fence cut in two
 * is closed at the end of one piece and reopened (with its language) at the start of the next.
 */
export interface SplitOptions {
  limit: number;
  /** Size of a piece as the platform counts it; string length when absent. */
  measure?: (text: string) => number;
}

interface OpenFence {
  /** Offset of the line that opened it. */
  start: number;
  marker: string;
  info: string;
}

const FENCE_LINE = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const SENTENCE_END = /[.!?](?=\s)|[。！？；…]/g;
/** Spans a cut must not enter: a numbered citation with its link, a markdown link, a bare `[n]` marker. */
const PROTECTED = /(?:\[\d{1,3}\] )?\[[^\]\n]{0,300}\]\([^)\s]{0,1500}\)|\[\d{1,3}\]/g;

export function splitMarkdown(text: string, options: SplitOptions): string[] {
  const measure = options.measure ?? ((s: string) => s.length);
  // Room for the closing fence a piece cut inside a code block gets.
  const reserve = Math.min(12, Math.floor(options.limit / 4));
  const budget = Math.max(1, options.limit - reserve);
  const pieces: string[] = [];
  let rest = text;
  while (measure(rest) > options.limit) {
    const end = fitPrefix(rest, budget, measure);
    const { piece, remainder } = cutOnce(rest, chooseCut(rest, end));
    if (piece.trim()) pieces.push(piece);
    if (remainder.length >= rest.length) break;
    rest = remainder;
  }
  if (rest.trim() || pieces.length === 0) pieces.push(rest);
  return pieces;
}

/** Longest prefix (in UTF-16 units) whose measured size fits; never ends inside a surrogate pair. */
function fitPrefix(text: string, budget: number, measure: (s: string) => number): number {
  let lo = 0;
  let hi = Math.min(text.length, budget * 4);
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (measure(text.slice(0, mid)) <= budget) lo = mid;
    else hi = mid - 1;
  }
  return Math.max(1, keepPairs(text, lo));
}

function keepPairs(text: string, cut: number): number {
  const code = text.charCodeAt(cut - 1);
  return code >= 0xd800 && code <= 0xdbff ? cut - 1 : cut;
}

function cutOnce(text: string, cut: number): { piece: string; remainder: string } {
  const fence = openFenceAt(text, cut);
  let piece = text.slice(0, cut).trimEnd();
  let remainder = text.slice(cut);
  if (fence) {
    piece = `${piece}\n${fence.marker}`;
    remainder = `${fence.marker}${fence.info}\n${remainder.replace(/^\n/, '')}`;
  } else {
    // Indentation at the start of the next piece is kept: it may be a nested list item.
    remainder = text[cut - 1] === '\n' || remainder.startsWith('\n') ? remainder.replace(/^\n+/, '') : remainder.trimStart();
  }
  return { piece, remainder };
}

function chooseCut(text: string, end: number): number {
  const minCut = Math.floor(end * 0.4);
  const fence = openFenceAt(text, end);
  // Keep a code block whole by cutting just before it, when that does not waste much of the piece.
  if (fence && fence.start >= Math.floor(end * 0.3)) return fence.start;
  const window = text.slice(0, end + 1);
  const candidates = fence ? [window.lastIndexOf('\n', end)] : boundaries(window, end);
  for (const candidate of candidates) if (candidate >= minCut && candidate > 0) return avoidProtected(text, candidate, end);
  return avoidProtected(text, keepPairs(text, end), end);
}

function boundaries(window: string, end: number): number[] {
  return [
    window.lastIndexOf('\n\n', end),
    lastTopLevelLine(window, end),
    window.lastIndexOf('\n', end),
    lastSentenceEnd(window, end),
    lastSpace(window, end),
  ];
}

/** The last line break followed by an unindented line: cutting there never splits a list item. */
function lastTopLevelLine(window: string, end: number): number {
  for (let i = window.lastIndexOf('\n', end); i > 0; i = window.lastIndexOf('\n', i - 1)) {
    const next = window[i + 1];
    if (next !== undefined && next !== ' ' && next !== '\t' && next !== '\n') return i;
  }
  return -1;
}

function lastSentenceEnd(window: string, end: number): number {
  let best = -1;
  for (const match of window.matchAll(SENTENCE_END)) {
    const at = match.index + match[0].length;
    if (at <= end) best = at;
  }
  return best;
}

function lastSpace(window: string, end: number): number {
  for (let i = Math.min(end, window.length - 1); i > 0; i--) if (window[i] === ' ' || window[i] === '\t') return i;
  return -1;
}

/** Moves a cut that falls inside a link or citation marker to the start of it (or past it when it starts the text). */
function avoidProtected(text: string, cut: number, end: number): number {
  const scan = text.slice(0, Math.min(text.length, end + 2000));
  for (const match of scan.matchAll(PROTECTED)) {
    const start = match.index;
    const stop = start + match[0].length;
    if (start >= cut) break;
    if (cut < stop) {
      if (start > 0) return start;
      return stop <= end ? stop : cut;
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
      const info = (match[2] ?? '').trim();
      if (!open) open = { start: lineStart, marker, info };
      else if (marker[0] === open.marker[0] && marker.length >= open.marker.length && info === '') open = undefined;
    }
    if (newline < 0) break;
    lineStart = newline + 1;
  }
  return open;
}
