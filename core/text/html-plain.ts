/**
 * Plain text out of markup too large or too deep for a DOM: one linear pass that drops scripts,
 * styles and tags, turns block boundaries into line breaks and decodes the common entities. Used
 * instead of Readability when a page passes the structure limits, so such a page still yields its
 * words without a parser ever building (or recursing through) its tree.
 */
const DROPPED_OPEN = /<(script|style|noscript|template|svg|head)\b[^<>]*>|<!--/gi;
const BLOCK_TAG =
  /<\/?(address|article|blockquote|body|br|caption|dd|div|dl|dt|figcaption|figure|footer|h[1-6]|header|hr|li|main|ol|p|pre|section|table|tr|ul)\b[^<>]*>/gi;
const ANY_TAG = /<[^<>]*>/g;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

export function htmlToPlainText(html: string): { title: string; text: string } {
  const title = decodeEntities(/<title\b[^<>]*>([^<]*)<\/title\s*>/i.exec(html)?.[1] ?? '')
    .replace(/\s+/g, ' ')
    .trim();
  const text = decodeEntities(dropRawSections(html).replace(BLOCK_TAG, '\n').replace(ANY_TAG, ''))
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .join('\n');
  return { title, text };
}

/** Removes comments and script/style-like sections; each search resumes where the last ended, so the pass stays linear. */
function dropRawSections(html: string): string {
  const kept: string[] = [];
  let at = 0;
  DROPPED_OPEN.lastIndex = 0;
  for (let open = DROPPED_OPEN.exec(html); open; open = DROPPED_OPEN.exec(html)) {
    kept.push(html.slice(at, open.index), ' ');
    const closing = open[1] ? new RegExp(`</${open[1]}\\s*>`, 'gi') : /-->/g;
    closing.lastIndex = DROPPED_OPEN.lastIndex;
    const close = closing.exec(html);
    if (!close) return kept.join('');
    at = closing.lastIndex;
    DROPPED_OPEN.lastIndex = at;
  }
  kept.push(html.slice(at));
  return kept.join('');
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, body: string) => {
    if (body[0] !== '#') return NAMED[body.toLowerCase()] ?? whole;
    const code = body[1] === 'x' || body[1] === 'X' ? Number.parseInt(body.slice(2), 16) : Number(body.slice(1));
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}
