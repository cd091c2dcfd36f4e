import { createRequire } from 'node:module';
import { htmlToPlainText } from './html-plain.js';
import { DEFAULT_HTML_LIMITS, type HtmlLimits, htmlLimitProblem, measureHtml } from './html-shape.js';

// The DOM parser and Readability load on first use: most runs never read a web page.
const requireLazily = createRequire(import.meta.url);
const parseHTML = (html: string): ReturnType<typeof import('linkedom').parseHTML> =>
  (requireLazily('linkedom') as typeof import('linkedom')).parseHTML(html);
const readability = () => (requireLazily('@mozilla/readability') as typeof import('@mozilla/readability')).Readability;

export interface ReadableSection {
  /** Heading path of the section, outermost first; empty before the first heading. */
  headings: string[];
  /** Section text; starts with the section's own heading line when it has one. */
  text: string;
}

export interface ReadableDocument {
  title: string;
  sections: ReadableSection[];
  /** Set when the page passed a structure limit and was read as plain text instead. */
  warning?: string;
}

/** Below this many characters Readability probably picked a fragment, so the whole cleaned body is used. */
const MIN_ARTICLE_CHARS = 140;

const SKIPPED = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'svg',
  'iframe',
  'button',
  'select',
  'option',
  'input',
  'head',
]);
const CHROME = 'nav, header, footer, aside, form, menu, [role="navigation"], [role="banner"], [role="contentinfo"], [hidden]';
const BLOCKS = new Set(
  'address article blockquote body caption dd details div dl dt fieldset figcaption figure footer h1 h2 h3 h4 h5 h6 header hr li main ol p pre section summary table tbody tfoot thead tr ul'.split(
    ' ',
  ),
);

/** The main readable text of a page (article text, not menus), with its title. */
export function readableText(
  html: string,
  url?: string,
  limits: HtmlLimits = DEFAULT_HTML_LIMITS,
): { title: string; text: string } {
  const doc = readableDocument(html, url, limits);
  return { title: doc.title, text: doc.sections.map((section) => section.text).join('\n\n') };
}

/**
 * The main readable text of a page split at its headings. Pages past the element or depth limits
 * never reach the DOM parser or Readability (both slow down sharply on such trees): they are read as
 * plain text, with a warning naming the limit.
 */
export function readableDocument(rawHtml: string, url?: string, limits: HtmlLimits = DEFAULT_HTML_LIMITS): ReadableDocument {
  const problem = htmlLimitProblem(measureHtml(rawHtml, limits), limits);
  if (problem) {
    const plain = htmlToPlainText(rawHtml);
    return {
      title: plain.title,
      sections: plain.text ? [{ headings: [], text: plain.text }] : [],
      warning: `read as plain text because ${problem}`,
    };
  }
  const html = asDocument(rawHtml);
  const article = extractArticle(html, url);
  const fallbackTitle = article?.title ?? pageTitle(html);
  const articleSections = article ? sectionsOf(article.root) : [];
  if (charCount(articleSections) >= MIN_ARTICLE_CHARS) return { title: fallbackTitle, sections: articleSections };

  const { document } = parseHTML(html);
  for (const element of document.querySelectorAll(CHROME)) element.remove();
  const body = document.body ?? document.documentElement;
  const bodySections = body ? sectionsOf(body) : [];
  return { title: fallbackTitle, sections: charCount(bodySections) > 0 ? bodySections : articleSections };
}

/** Fragments and body-only pages get the document shell the parser needs to find a body. */
function asDocument(html: string): string {
  if (/<html[\s>]/i.test(html)) return html;
  if (/<(body|head)[\s>]/i.test(html)) return `<html>${html}</html>`;
  return `<html><head></head><body>${html}</body></html>`;
}

function extractArticle(html: string, url: string | undefined): { title: string; root: Element } | undefined {
  try {
    const { document } = parseHTML(html);
    if (url && document.head) {
      const base = document.createElement('base');
      base.setAttribute('href', url);
      document.head.prepend(base);
    }
    const Readability = readability();
    const result = new Readability<Element>(document as unknown as Document, { serializer: (node) => node as Element }).parse();
    if (!result?.content) return undefined;
    return { title: (result.title ?? '').trim() || pageTitle(html), root: result.content };
  } catch {
    return undefined; // Readability gives up on some malformed pages; the body fallback still works.
  }
}

function pageTitle(html: string): string {
  const { document } = parseHTML(html);
  return (document.title ?? '').replace(/\s+/g, ' ').trim();
}

function charCount(sections: ReadableSection[]): number {
  return sections.reduce((sum, section) => sum + section.text.length, 0);
}

/** Walks the DOM once, turning block boundaries into newlines and headings into section breaks. */
function sectionsOf(root: Element): ReadableSection[] {
  const sections: ReadableSection[] = [];
  const path: { level: number; text: string }[] = [];
  let lines: string[] = [];
  let line = '';

  const flushLine = () => {
    const clean = line.replace(/\s+/g, ' ').trim();
    if (clean) lines.push(clean);
    line = '';
  };
  const flushSection = () => {
    flushLine();
    const text = lines.join('\n').trim();
    if (text) sections.push({ headings: path.map((entry) => entry.text), text });
    lines = [];
  };

  // An explicit stack instead of recursion: depth is capped before parsing, but a walk should not
  // depend on that to stay within the call stack. A null entry closes the block opened before it.
  const stack: (Node | null)[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null) {
      flushLine();
      continue;
    }
    if (!node) break;
    if (node.nodeType === 3) {
      line += (node.textContent ?? '').replace(/\s+/g, ' ');
      continue;
    }
    if (node.nodeType !== 1) continue;
    const element = node as Element;
    const tag = element.tagName.toLowerCase();
    if (SKIPPED.has(tag)) continue;
    if (tag === 'br') {
      flushLine();
      continue;
    }
    const heading = /^h([1-6])$/.exec(tag);
    if (heading) {
      const text = (element.textContent ?? '').replace(/\s+/g, ' ').trim();
      if (text) {
        flushSection();
        const level = Number(heading[1]);
        while (path.length > 0 && path[path.length - 1]!.level >= level) path.pop();
        path.push({ level, text });
        lines.push(text);
      }
      continue;
    }
    const block = BLOCKS.has(tag);
    if (block) flushLine();
    if ((tag === 'td' || tag === 'th') && line.trim()) line += ' | ';
    if (tag === 'pre') {
      for (const part of (element.textContent ?? '').split('\n')) {
        line = part;
        flushLine();
      }
      continue;
    }
    if (block) stack.push(null);
    const children = Array.from(element.childNodes);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  flushSection();
  return sections;
}
