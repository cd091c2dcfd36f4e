/**
 * A small markdown renderer for model answers. It builds elements and text nodes only — model
 * output never reaches innerHTML — so any markup inside the text is shown as text, not run.
 * Covers what answers use: paragraphs, headings, emphasis, code, fenced code, lists, quotes,
 * tables, rules, http(s) links and `[n]` citations. An unclosed fence renders as code so far,
 * so half-streamed answers look right. Fenced code is coloured by code-highlight.js, also without HTML.
 */

import { codeBlock } from './code-highlight.js';

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([\w+#.-]*)/;
const HEADING = /^ {0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$/;
const QUOTE = /^ {0,3}> ?(.*)$/;
const LIST_ITEM = /^( *)([-*+]|\d{1,9}[.)])\s+(.*)$/;
const RULE = /^ {0,3}([-*_])(?:\s*\1){2,}\s*$/;
const TABLE_DIVIDER = /^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$/;

const INLINE = new RegExp(
  [
    /(?<tick>`+)(?<code>[^`][\s\S]*?)\k<tick>(?!`)/u.source,
    /\*\*(?=\S)(?<strong>[\s\S]*?\S)\*\*/u.source,
    /(?<![\p{L}\p{N}_])__(?=\S)(?<strongU>[\s\S]*?\S)__(?![\p{L}\p{N}_])/u.source,
    /~~(?=\S)(?<del>[\s\S]*?\S)~~/u.source,
    /\*(?=[^\s*])(?<em>[\s\S]*?[^\s*])\*/u.source,
    /(?<![\p{L}\p{N}_])_(?=[^\s_])(?<emU>[\s\S]*?[^\s_])_(?![\p{L}\p{N}_])/u.source,
    /\[(?<label>[^\]\n]+)\]\(\s*<?(?<href>[^\s<>()]+)>?(?:\s+"[^"\n]*")?\s*\)/u.source,
    /\[(?<cites>\d{1,3}(?:\s*,\s*\d{1,3})*)\]/u.source,
    /(?<![\w/])(?<url>https?:\/\/[^\s<>()[\]]*[^\s<>()[\].,:;!?'"。，；：！？）」])/u.source,
    /\\(?<escaped>[!-/:-@[-`{-~])/u.source,
    /(?<br>\n)/.source,
  ].join('|'),
  'gu',
);

/** The address when it is an absolute http(s) URL, else null: no javascript:, data: or relative links. */
export function webHref(url) {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}

function make(tag, className) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  return node;
}

function textOf(tag, text, className) {
  const node = make(tag, className);
  node.textContent = text;
  return node;
}

function webLink(href) {
  const link = make('a');
  link.href = href;
  link.target = '_blank';
  link.rel = 'noopener noreferrer';
  return link;
}

/** Appends inline markdown to `parent`; `cite(n)` returns the node for citation n, or null for plain text. */
function inlineInto(parent, text, options) {
  let last = 0;
  for (const match of text.matchAll(INLINE)) {
    if (match.index > last) parent.append(text.slice(last, match.index));
    last = match.index + match[0].length;
    const g = match.groups;
    if (g.code !== undefined) {
      const code = g.code.length > 2 && /^ .* $/s.test(g.code) ? g.code.slice(1, -1) : g.code;
      parent.append(textOf('code', code));
    } else if (g.strong !== undefined || g.strongU !== undefined) {
      parent.append(nested('strong', g.strong ?? g.strongU, options));
    } else if (g.em !== undefined || g.emU !== undefined) {
      parent.append(nested('em', g.em ?? g.emU, options));
    } else if (g.del !== undefined) {
      parent.append(nested('del', g.del, options));
    } else if (g.label !== undefined) {
      const href = webHref(g.href);
      if (href) {
        const link = webLink(href);
        inlineInto(link, g.label, { ...options, inLink: true });
        parent.append(link);
      } else inlineInto(parent, g.label, options);
    } else if (g.cites !== undefined) {
      const numbers = g.cites.split(',').map(Number);
      const nodes = numbers.map((n) => options.cite?.(n) ?? null);
      if (nodes.every((node) => node === null)) parent.append(match[0]);
      else parent.append(...nodes.map((node, k) => node ?? `[${numbers[k]}]`));
    } else if (g.url !== undefined && options.inLink) {
      parent.append(g.url);
    } else if (g.url !== undefined) {
      const link = webLink(g.url);
      link.textContent = g.url;
      parent.append(link);
    } else if (g.escaped !== undefined) {
      parent.append(g.escaped);
    } else parent.append(make('br'));
  }
  if (last < text.length) parent.append(text.slice(last));
}

function nested(tag, text, options) {
  const node = make(tag);
  inlineInto(node, text, options);
  return node;
}

function tableCells(row) {
  return row
    .trim()
    .replace(/^\|/, '')
    .replace(/(?<!\\)\|$/, '')
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim().replace(/\\\|/g, '|'));
}

function isTableStart(lines, i) {
  const next = lines[i + 1];
  return lines[i].includes('|') && next?.includes('-') === true && TABLE_DIVIDER.test(next);
}

/** True when `line` begins a block other than a paragraph, which ends the paragraph before it. */
function startsBlock(lines, i) {
  const line = lines[i];
  return (
    FENCE.test(line) ||
    HEADING.test(line) ||
    QUOTE.test(line) ||
    RULE.test(line) ||
    LIST_ITEM.test(line) ||
    isTableStart(lines, i)
  );
}

function table(lines, i, options) {
  const aligns = tableCells(lines[i + 1]).map((c) =>
    c.startsWith(':') && c.endsWith(':') ? 'center' : c.endsWith(':') ? 'right' : c.startsWith(':') ? 'left' : '',
  );
  const wrap = make('div', 'table-wrap');
  const grid = make('table');
  const row = (cells, tag) => {
    const tr = make('tr');
    aligns.forEach((align, k) => {
      const cell = make(tag);
      if (align) cell.style.textAlign = align;
      inlineInto(cell, cells[k] ?? '', options);
      tr.append(cell);
    });
    return tr;
  };
  const head = make('thead');
  head.append(row(tableCells(lines[i]), 'th'));
  const body = make('tbody');
  let end = i + 2;
  for (; end < lines.length && lines[end].includes('|') && lines[end].trim(); end++)
    body.append(row(tableCells(lines[end]), 'td'));
  grid.append(head, body);
  wrap.append(grid);
  return { node: wrap, next: end };
}

/** Reads one list (items at the first item's indent, same kind) starting at line i. */
function list(lines, i, options) {
  const first = lines[i].match(LIST_ITEM);
  const indent = first[1].length;
  const ordered = /\d/.test(first[2]);
  const node = make(ordered ? 'ol' : 'ul');
  const start = Number.parseInt(first[2], 10);
  if (ordered && start !== 1) node.start = start;
  while (i < lines.length) {
    const item = lines[i].match(LIST_ITEM);
    if (!item || item[1].length !== indent || /\d/.test(item[2]) !== ordered) break;
    const contentIndent = indent + item[2].length + 1;
    const content = [item[3]];
    let loose = false;
    for (i++; i < lines.length; i++) {
      const line = lines[i];
      const lead = line.length - line.trimStart().length;
      if (!line.trim()) {
        const following = lines.slice(i + 1).find((l) => l.trim());
        if (following === undefined || following.length - following.trimStart().length <= indent) break;
        loose = true;
        content.push('');
      } else if (lead > indent) content.push(line.slice(Math.min(lead, contentIndent)));
      else if (content.at(-1) && !startsBlock(lines, i)) content.push(line.trim());
      else break;
    }
    const li = make('li');
    blocksInto(li, content, options);
    const lead = li.firstChild;
    if (!loose && lead?.nodeName === 'P') lead.replaceWith(...lead.childNodes);
    node.append(li);
    while (
      i < lines.length &&
      !lines[i].trim() &&
      lines
        .slice(i)
        .find((l) => l.trim())
        ?.match(LIST_ITEM)?.[1].length === indent
    )
      i++;
  }
  return { node, next: i };
}

function blocksInto(parent, lines, options) {
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    const fence = line.match(FENCE);
    const heading = line.match(HEADING);
    if (!line.trim()) i++;
    else if (fence) {
      const close = new RegExp(`^ {0,3}${fence[1][0]}{${fence[1].length},}\\s*$`);
      const body = [];
      for (i++; i < lines.length && !close.test(lines[i]); i++) body.push(lines[i]);
      i++;
      const pre = make('pre');
      pre.append(codeBlock(body.join('\n'), fence[2]));
      parent.append(pre);
    } else if (heading) {
      // Answers sit under the page's own headings: # and ## become h3, ### h4, and so on.
      const node = make(`h${Math.min(6, Math.max(3, heading[1].length + 1))}`);
      inlineInto(node, heading[2], options);
      parent.append(node);
      i++;
    } else if (RULE.test(line)) {
      parent.append(make('hr'));
      i++;
    } else if (QUOTE.test(line)) {
      const inner = [];
      for (; i < lines.length && QUOTE.test(lines[i]); i++) inner.push(lines[i].match(QUOTE)[1]);
      const quote = make('blockquote');
      blocksInto(quote, inner, options);
      parent.append(quote);
    } else if (LIST_ITEM.test(line)) {
      const read = list(lines, i, options);
      parent.append(read.node);
      i = read.next;
    } else if (isTableStart(lines, i)) {
      const read = table(lines, i, options);
      parent.append(read.node);
      i = read.next;
    } else {
      const text = [line.trim()];
      for (i++; i < lines.length && lines[i].trim() && !startsBlock(lines, i); i++) text.push(lines[i].trim());
      parent.append(nested('p', text.join('\n'), options));
    }
  }
}

/**
 * Renders markdown into a DocumentFragment. `options.cite(n)` turns citation `[n]` into a node
 * (return null to leave it as text).
 */
export function renderMarkdown(text, options = {}) {
  const fragment = document.createDocumentFragment();
  const lines = text
    .replace(/\r\n?/g, '\n')
    .replace(/^\t+/gm, (tabs) => '    '.repeat(tabs.length))
    .split('\n');
  blocksInto(fragment, lines, options);
  return fragment;
}
