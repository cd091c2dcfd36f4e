/**
 * Markdown (as the core writes it) → Slack mrkdwn. Slack has no headings, tables or nested
 * emphasis; it wants `*bold*`, `_italic_`, `~strike~`, `<url|label>` and `&`, `<`, `>` escaped
 * everywhere, code included.
 */
export function markdownToMrkdwn(markdown: string): string {
  const out: string[] = [];
  let fence: string | undefined;
  for (const line of markdown.replace(/\r\n?/g, '\n').split('\n')) {
    const fenceMatch = /^\s*(`{3,}|~{3,})/.exec(line);
    if (fenceMatch) {
      const marker = fenceMatch[1] as string;
      if (fence === undefined) fence = marker[0]?.repeat(marker.length);
      else if (marker.startsWith(fence)) fence = undefined;
      else {
        out.push(escapeMrkdwn(line));
        continue;
      }
      out.push('```');
      continue;
    }
    out.push(fence === undefined ? convertLine(line) : escapeMrkdwn(line));
  }
  // A stream cut mid-block still renders as code rather than swallowing the rest of the message.
  if (fence !== undefined) out.push('```');
  return out.join('\n');
}

export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function convertLine(line: string): string {
  const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
  // A heading is bold as a whole; bold inside it would nest `*`, which Slack cannot show.
  if (heading) return bold(inline((heading[1] ?? '').replace(/\*\*|__/g, '')));
  if (/^\s{0,3}([-*_])(\s*\1){2,}\s*$/.test(line)) return '──────────';
  const quote = /^\s{0,3}>\s?(.*)$/.exec(line);
  if (quote) return `> ${convertLine(quote[1] ?? '')}`;
  const bullet = /^(\s*)[-*+]\s+(?:\[([ xX])\]\s+)?(.*)$/.exec(line);
  if (bullet) {
    const depth = Math.floor((bullet[1] ?? '').replace(/\t/g, '  ').length / 2);
    const box = bullet[2] === undefined ? '' : bullet[2] === ' ' ? '☐ ' : '☑ ';
    return `${'    '.repeat(depth)}• ${box}${inline(bullet[3] ?? '')}`;
  }
  const numbered = /^(\s*)(\d+)[.)]\s+(.*)$/.exec(line);
  if (numbered) {
    const depth = Math.floor((numbered[1] ?? '').length / 2);
    return `${'    '.repeat(depth)}${numbered[2]}. ${inline(numbered[3] ?? '')}`;
  }
  return inline(line);
}

function bold(text: string): string {
  return text.trim() === '' ? text : `*${text}*`;
}

const PLACEHOLDER = /\u0000(\d+)\u0000/g;

/** Inline spans: code and links are set aside first so nothing inside them is re-formatted. */
function inline(text: string): string {
  const kept: string[] = [];
  const keep = (s: string) => `\u0000${kept.push(s) - 1}\u0000`;
  let s = text.replace(/(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/g, (_m, _ticks: string, code: string) =>
    keep(`\`${escapeMrkdwn(code.trim())}\``),
  );
  s = s.replace(/!?\[([^\]\n]*)\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g, (_m, label: string, url: string) =>
    keep(link(url, label)),
  );
  s = s.replace(/<((?:https?|mailto):[^>\s]+)>/g, (_m, url: string) => keep(`<${slackLinkUrl(url)}>`));
  s = escapeMrkdwn(s);
  s = s.replace(/\*\*(?=\S)([\s\S]*?\S)\*\*|__(?=\S)([\s\S]*?\S)__/g, (_m, a?: string, b?: string) => `\u0001${a ?? b}\u0001`);
  s = s.replace(/(^|[^\w*])\*(?=\S)([^*\n]*?\S)\*(?![\w*])/g, '$1_$2_');
  s = s.replace(/~~(?=\S)([\s\S]*?\S)~~/g, '~$1~');
  s = s.replace(/\u0001/g, '*');
  return s.replace(PLACEHOLDER, (_m, i: string) => kept[Number(i)] ?? '');
}

function link(url: string, label: string): string {
  const text = escapeMrkdwn(label.replace(/[|]/g, '¦').trim());
  const target = slackLinkUrl(url);
  return text === '' || text === target ? `<${target}>` : `<${target}|${text}>`;
}

/** `|` and `>` end a Slack link early, so they are percent-encoded; `&` is entity-escaped as Slack does. */
export function slackLinkUrl(url: string): string {
  return url.replace(/&/g, '&amp;').replace(/\|/g, '%7C').replace(/>/g, '%3E').replace(/</g, '%3C');
}
