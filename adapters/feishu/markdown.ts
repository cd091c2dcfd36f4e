/**
 * Answer markdown → the markdown subset Feishu cards render (JSON 2.0 `markdown` element).
 * Cards read `<at>`, `<font>` and similar tags, so `<` and `>` outside code are written as
 * entities (model output can never ping people or restyle the card); images need an uploaded
 * image key, so `![alt](url)` becomes a link.
 */
export function toCardMarkdown(markdown: string): string {
  const out: string[] = [];
  let fence: string | undefined;
  for (const line of markdown.replace(/\r\n?/g, '\n').split('\n')) {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker && (fence === undefined || marker.startsWith(fence))) {
      fence = fence === undefined ? marker : undefined;
      out.push(line);
      continue;
    }
    out.push(fence === undefined ? convertInline(line) : line);
  }
  return out.join('\n');
}

function convertInline(line: string): string {
  return line
    .split(/(`[^`]*`)/)
    .map((part, i) =>
      i % 2 === 1
        ? part
        : part
            .replace(/!\[([^\]]*)\]\(([^)\s]+)\)/g, '[$1]($2)')
            .replace(/</g, '&lt;')
            .replace(/>/g, '&gt;'),
    )
    .join('');
}

/** Plain one-line text for previews (chat list summary). */
export function plainPreview(markdown: string, max = 60): string {
  const text = markdown
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/[`*_~#>]/g, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** Largest index such that text.slice(0, index) fits in maxBytes, never splitting a surrogate pair. */
function fitIndex(text: string, maxBytes: number): number {
  let bytes = 0;
  let i = 0;
  while (i < text.length) {
    const code = text.codePointAt(i) as number;
    const size = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    if (bytes + size > maxBytes) break;
    bytes += size;
    i += code >= 0x10000 ? 2 : 1;
  }
  return i;
}

function cutPoint(text: string, limit: number, floor: number): number {
  const window = text.slice(0, limit);
  for (const [separator, share] of [
    ['\n\n', 0.4],
    ['\n', 0.3],
    [' ', 0.2],
  ] as const) {
    const at = window.lastIndexOf(separator);
    if (at > floor && at >= limit * share) return at;
  }
  // No whitespace: a hard cut, but never inside a citation marker such as [12].
  const open = /\[\d*$/.exec(window);
  if (open && open.index > floor) return open.index;
  return Math.max(limit, floor + 1);
}

/** The fence a piece leaves open (its opening line), if any. */
function openFence(piece: string): string | undefined {
  let open: string | undefined;
  for (const line of piece.split('\n')) {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (!marker) continue;
    if (open === undefined) open = line.trim();
    else if (marker.startsWith(/^(`{3,}|~{3,})/.exec(open)?.[1] ?? '```')) open = undefined;
  }
  return open;
}

/**
 * Splits markdown into pieces of at most `maxBytes` UTF-8 bytes, preferring paragraph, then
 * line, then word boundaries. A code block cut in two is closed and reopened with the same
 * fence (and language), so each piece renders on its own.
 */
export function splitMarkdown(markdown: string, maxBytes: number): string[] {
  const pieces: string[] = [];
  let rest = markdown;
  let reopen = '';
  const closing = '\n```';
  while (utf8Length(reopen + rest) > maxBytes) {
    const body = reopen + rest;
    const limit = fitIndex(body, maxBytes - utf8Length(closing) - 1);
    const cut = cutPoint(body, limit, reopen.length);
    let piece = body.slice(0, cut).trimEnd();
    const fence = openFence(piece);
    if (fence !== undefined) {
      const marker = /^(`{3,}|~{3,})/.exec(fence)?.[1] ?? '```';
      piece += `\n${marker}`;
      reopen = `${fence}\n`;
    } else {
      reopen = '';
    }
    pieces.push(piece);
    rest = body.slice(cut);
    rest = rest.startsWith('\n\n') ? rest.slice(2) : /^[\n ]/.test(rest) ? rest.slice(1) : rest;
  }
  const last = reopen + rest;
  if (last.trim() !== '' || pieces.length === 0) pieces.push(last);
  return pieces;
}
