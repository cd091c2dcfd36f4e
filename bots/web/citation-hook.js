/**
 * What a click on a citation does. By default the link is followed (the source file); a passage
 * viewer can take over with setCitationHandler(fn): fn(citation, link) runs instead, and a handler
 * that returns false lets the link be followed after all.
 */
const citations = new WeakMap();
let handler = null;

/** Remembers which citation a rendered link stands for. */
export function markCitation(link, citation) {
  citations.set(link, citation);
  link.dataset.cite = String(citation.n);
}

export function setCitationHandler(fn) {
  handler = fn;
}

document.addEventListener('click', (e) => {
  const link = e.target.closest?.('a[data-cite]');
  const citation = link && citations.get(link);
  if (!citation || !handler || e.ctrlKey || e.metaKey || e.shiftKey) return;
  if (handler(citation, link) === false) return;
  e.preventDefault();
  e.stopPropagation();
});
