/**
 * Syntax colours for fenced code in answers. lowlight (highlight.js's grammars) turns the code
 * into a tree of class names and text; that tree becomes <span> elements and text nodes here, so
 * the code is never parsed as HTML and markup inside it stays text. The highlighter is loaded on
 * the first code block; blocks rendered before it arrives are coloured once it has.
 */

let lowlight = null;
let loading = null;
let unavailable = false;
/** Code elements waiting for the highlighter, with their text and language. */
const waiting = [];

/** Appends a lowlight (hast) node's content to `parent`: elements as spans with their classes, text as text. */
function appendTree(parent, node) {
  for (const child of node.children) {
    if (child.type === 'text') parent.append(child.value);
    else if (child.type === 'element') {
      const span = document.createElement('span');
      const classes = child.properties?.className;
      if (Array.isArray(classes)) span.className = classes.join(' ');
      appendTree(span, child);
      parent.append(span);
    }
  }
}

function paint(code, text, lang) {
  if (!lowlight.registered(lang)) return;
  const tree = lowlight.highlight(lang, text);
  code.textContent = '';
  appendTree(code, tree);
  code.classList.add('hljs');
}

/** Resolves once the highlighter is loaded (or could not be: the code then stays plain). */
export function highlighterReady() {
  loading ??= import('/vendor/lowlight.js')
    .then((module) => {
      lowlight = module.lowlight;
      // Streaming re-renders an answer many times; only the blocks still shown need colours.
      for (const { code, text, lang } of waiting.splice(0)) if (code.isConnected) paint(code, text, lang);
    })
    .catch(() => {
      unavailable = true;
      waiting.length = 0;
    });
  return loading;
}

/** A <code> element for a fenced block, coloured when its language is known. */
export function codeBlock(text, lang) {
  const code = document.createElement('code');
  code.textContent = text;
  if (!lang) return code;
  code.className = `language-${lang}`;
  if (lowlight) paint(code, text, lang.toLowerCase());
  else if (!unavailable) {
    waiting.push({ code, text, lang: lang.toLowerCase() });
    highlighterReady();
  }
  return code;
}
