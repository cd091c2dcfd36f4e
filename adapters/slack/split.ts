const FENCE = '```';

interface Line {
  text: string;
  /** Inside a code block before this line. */
  inFence: boolean;
  isFence: boolean;
}

/**
 * Splits mrkdwn into pieces of at most `limit` characters. Breaks fall on paragraph or line
 * boundaries where possible, never inside a `<link|label>` or a `[n]` citation mark; a code block
 * cut in two is closed at the end of one piece and reopened at the start of the next.
 */
export function splitMrkdwn(text: string, limit: number): string[] {
  if (text.length <= limit) return [text];
  const lines = toLines(text, Math.max(16, limit - 2 * (FENCE.length + 1)));
  const chunks: string[] = [];
  let start = skipBlank(lines, 0);
  while (start < lines.length) {
    let end = start;
    let length = opensFence(lines[start] as Line) ? FENCE.length + 1 : 0;
    while (end < lines.length) {
      const line = lines[end] as Line;
      const added = line.text.length + (end > start ? 1 : 0);
      if (end > start && length + added + (endsInFence(line) ? FENCE.length + 1 : 0) > limit) break;
      length += added;
      end += 1;
    }
    if (end < lines.length) end = paragraphBreak(lines, start, end, limit);
    const chunk = render(lines.slice(start, end));
    if (chunk.trim() !== '') chunks.push(chunk);
    start = skipBlank(lines, end);
  }
  return chunks;
}

function toLines(text: string, maxLine: number): Line[] {
  const out: Line[] = [];
  let inFence = false;
  for (const raw of text.split('\n')) {
    const isFence = raw.trimStart().startsWith(FENCE);
    const pieces = raw.length > maxLine ? breakLongLine(raw, maxLine, inFence) : [raw];
    for (const piece of pieces) out.push({ text: piece, inFence, isFence: isFence && pieces.length === 1 });
    if (isFence) inFence = !inFence;
  }
  return out;
}

function opensFence(line: Line): boolean {
  return line.inFence && !line.isFence;
}

function endsInFence(line: Line): boolean {
  return line.inFence !== line.isFence;
}

function render(lines: Line[]): string {
  const body = [...lines];
  while (body.length > 0 && (body.at(-1) as Line).text.trim() === '' && !(body.at(-1) as Line).inFence) body.pop();
  const first = body[0];
  const last = body.at(-1);
  if (!first || !last) return '';
  const texts = body.map((l) => l.text);
  if (first.inFence && first.isFence) texts.shift();
  else if (first.inFence) texts.unshift(FENCE);
  if (endsInFence(last)) texts.push(FENCE);
  return texts.join('\n');
}

/** Moves a break back to a blank line outside code when the piece before it is at least a third full. */
function paragraphBreak(lines: Line[], start: number, end: number, limit: number): number {
  let before = 0;
  let best = end;
  for (let i = start; i < end; i += 1) {
    const line = lines[i] as Line;
    if (i > start && before >= limit / 3 && line.text.trim() === '' && !line.inFence) best = i;
    before += line.text.length + 1;
  }
  return best;
}

function skipBlank(lines: Line[], from: number): number {
  let i = from;
  while (i < lines.length && (lines[i] as Line).text.trim() === '' && !(lines[i] as Line).inFence) i += 1;
  return i;
}

/** Breaks at the last space that is outside links and citation marks; code is cut hard. */
function breakLongLine(line: string, max: number, inFence: boolean): string[] {
  const pieces: string[] = [];
  let rest = line;
  while (rest.length > max) {
    const cut = inFence ? max : cutPoint(rest, max);
    pieces.push(rest.slice(0, cut).trimEnd());
    rest = inFence ? rest.slice(cut) : rest.slice(cut).trimStart();
  }
  pieces.push(rest);
  return pieces;
}

function cutPoint(text: string, max: number): number {
  const protectedSpans: Array<[number, number]> = [];
  for (const m of text.matchAll(/<[^<>\n]*>|\[\d+\]/g)) protectedSpans.push([m.index, m.index + m[0].length]);
  const inside = (pos: number) => protectedSpans.some(([a, b]) => pos > a && pos < b);
  for (let i = max; i > 0; i -= 1) if (text[i] === ' ' && !inside(i)) return i;
  const span = protectedSpans.find(([a, b]) => max > a && max < b);
  return span && span[0] > 0 ? span[0] : max;
}
