/** How much structure a page may have before the DOM parser and Readability are skipped. */
export interface HtmlLimits {
  /** Most elements (start tags) a page may hold. */
  maxElements: number;
  /** Deepest element nesting a page may reach. */
  maxDepth: number;
}

export const DEFAULT_HTML_LIMITS: HtmlLimits = { maxElements: 50_000, maxDepth: 256 };

/** Elements that never have content, so they never nest. */
const VOID = new Set('area base br col embed hr img input link meta param source track wbr'.split(' '));
/** Elements a parser closes when a sibling of the same kind opens (`<p>a<p>b`, `<li>`, table cells). */
const SELF_CLOSING_SIBLINGS = new Set('p li dt dd tr td th option'.split(' '));
/** Elements whose content is raw text: tags inside them are not elements. */
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'xmp']);

/** `[^<>]` keeps a tag that never closes from scanning the rest of the page (quadratic on `<a<a<a…`). */
const TAG = /<(\/?)([a-zA-Z][\w:-]*)[^<>]*?(\/?)>/g;

export interface HtmlShape {
  elements: number;
  depth: number;
}

/**
 * Counts elements and the deepest nesting with one linear scan of the raw markup, stopping as soon
 * as a limit is passed (tags inside comments count too: an over-estimate is safe). It approximates the parser's tree (implicitly closed siblings, void
 * elements, raw-text elements), which is all a safety limit needs, and never builds a DOM.
 */
export function measureHtml(html: string, limits: HtmlLimits): HtmlShape {
  const open: string[] = [];
  let elements = 0;
  let depth = 0;
  TAG.lastIndex = 0;
  for (let match = TAG.exec(html); match; match = TAG.exec(html)) {
    const name = (match[2] ?? '').toLowerCase();
    if (match[1]) {
      const at = open.lastIndexOf(name);
      if (at >= 0) open.length = at;
      continue;
    }
    elements++;
    if (elements > limits.maxElements) return { elements, depth };
    if (VOID.has(name) || match[3]) continue;
    if (SELF_CLOSING_SIBLINGS.has(name) && open[open.length - 1] === name) open.pop();
    if (RAW_TEXT.has(name)) {
      const closing = new RegExp(`</${name}`, 'gi');
      closing.lastIndex = TAG.lastIndex;
      TAG.lastIndex = closing.exec(html)?.index ?? html.length;
    }
    open.push(name);
    if (open.length > depth) {
      depth = open.length;
      if (depth > limits.maxDepth) return { elements, depth };
    }
  }
  return { elements, depth };
}

/** Which limit a page passes, in words naming the setting; undefined when within both. */
export function htmlLimitProblem(shape: HtmlShape, limits: HtmlLimits): string | undefined {
  if (shape.elements > limits.maxElements)
    return `it has more than ${limits.maxElements.toLocaleString('en')} elements (kb.limits.htmlMaxElements)`;
  if (shape.depth > limits.maxDepth)
    return `its elements nest deeper than ${limits.maxDepth.toLocaleString('en')} levels (kb.limits.htmlMaxDepth)`;
  return undefined;
}
