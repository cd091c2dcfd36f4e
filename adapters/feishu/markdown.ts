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
