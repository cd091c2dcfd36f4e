import { createRequire } from 'node:module';
import type { Token, Tokens } from 'marked';

// The Markdown lexer loads on first use: only reading Markdown needs it, not every process that imports the loaders.
const requireLazily = createRequire(import.meta.url);
const lex = (source: string): Token[] => (requireLazily('marked') as typeof import('marked')).Lexer.lex(source, { gfm: true });

/**
 * Tags that are markup when written inline in Markdown; anything else in angle brackets
 * (`<kb>`, `List<String>`, `<file name>`) is literal text a writer meant to show, and is kept.
 */
const HTML_TAGS = new Set(
  (
    'a abbr b bdi bdo big blockquote br caption center cite code col dd del details dfn div dl dt em figcaption figure ' +
    'font footer h1 h2 h3 h4 h5 h6 header hr i img input ins kbd label li mark nav ol p picture pre q s samp section ' +
    'small source span strike strong sub summary sup table tbody td tfoot th thead tr tt u ul var video wbr'
  ).split(' '),
);

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+\d*);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/** True for `<span>`, `</div>`, `<br/>`, `<!-- … -->`: markup rather than literal text. */
function isMarkup(raw: string): boolean {
  if (raw.startsWith('<!--')) return true;
  const name = /^<\/?([a-zA-Z][\w-]*)/.exec(raw)?.[1]?.toLowerCase();
  return name !== undefined && HTML_TAGS.has(name);
}

/** Strips known tags from an HTML fragment, keeping its text and any literal `<…>` it holds. */
function htmlText(raw: string): string {
  return decodeEntities(
    raw.replace(/<!--[\s\S]*?-->|<\/?[a-zA-Z][^<>]*>/g, (tag) => (isMarkup(tag) ? (/^<br\b/i.test(tag) ? '\n' : '') : tag)),
  );
}

/** The words of inline markup: link and image text without targets, no emphasis marks, code as written. */
export function inlineText(tokens: Token[] | undefined): string {
  let out = '';
  for (const token of tokens ?? []) {
    switch (token.type) {
      case 'text':
        out += 'tokens' in token && token.tokens ? inlineText(token.tokens) : decodeEntities(token.text);
        break;
      case 'codespan':
      case 'escape':
        out += token.text;
        break;
      case 'image':
        out += token.text;
        break;
      case 'br':
        out += '\n';
        break;
      case 'html':
        out += isMarkup(token.raw) ? (/^<br\b/i.test(token.raw) ? '\n' : '') : token.raw;
        break;
      default:
        out +=
          'tokens' in token && token.tokens
            ? inlineText(token.tokens)
            : decodeEntities((token as { text?: string }).text ?? token.raw);
    }
  }
  return out;
}

export interface MarkdownSink {
  heading(level: number, text: string): void;
  line(text: string): void;
}

/** Walks Markdown blocks with a real CommonMark/GFM lexer and hands headings and text lines to the sink. */
export function renderMarkdown(source: string, sink: MarkdownSink): void {
  walk(lex(source), sink, '');
}

function walk(tokens: Token[], sink: MarkdownSink, indent: string): void {
  for (const token of tokens) {
    switch (token.type) {
      case 'heading':
        sink.heading(token.depth, inlineText(token.tokens));
        break;
      case 'paragraph':
      case 'text':
        for (const line of inlineText('tokens' in token && token.tokens ? token.tokens : [token]).split('\n'))
          sink.line(indent + line);
        break;
      case 'code':
        for (const line of token.text.split('\n')) sink.line(line);
        break;
      case 'blockquote':
        walk(token.tokens ?? [], sink, indent);
        break;
      case 'list': {
        const list = token as Tokens.List;
        list.items.forEach((item, i) => {
          const mark = list.ordered ? `${Number(list.start || 1) + i}. ` : '- ';
          const before: string[] = [];
          walk(item.tokens, { heading: sink.heading.bind(sink), line: (l) => void before.push(l) }, '');
          before.forEach((line, j) => {
            sink.line(`${indent}${j === 0 ? mark : '  '}${line}`);
          });
        });
        break;
      }
      case 'table': {
        const table = token as Tokens.Table;
        const row = (cells: Array<{ tokens: Token[] }>) => `| ${cells.map((c) => inlineText(c.tokens)).join(' | ')} |`;
        sink.line(row(table.header));
        for (const cells of table.rows) sink.line(row(cells));
        break;
      }
      case 'html':
        for (const line of htmlText(token.raw).split('\n')) if (line.trim()) sink.line(line);
        break;
      case 'space':
        // Blank lines between blocks stay, so the splitter still sees paragraph breaks.
        sink.line('');
        break;
      default:
        break;
    }
  }
}
