import { $, api, el } from './util.js';

/** Citations of knowledge-base passages open in the side panel; web results open their own page. */
export const hasPassage = (c) => Boolean(c.kb && c.chunkId);

const passageApi = (c) => `/api/kb/${encodeURIComponent(c.kb)}/passages/${encodeURIComponent(c.chunkId)}`;

function place(p) {
  const parts = [p.kb];
  if (p.page !== null && p.page !== undefined) parts.push(`page ${p.page}`);
  if (p.section) parts.push(p.section);
  return parts.join(' · ');
}

function close() {
  $('passage-panel').hidden = true;
  document.querySelector('main').classList.remove('showing-passage');
}

function open() {
  $('passage-panel').hidden = false;
  document.querySelector('main').classList.add('showing-passage');
}

/** Shows citation `c`'s passage, highlighted in the text around it, beside the chat. */
export async function showPassage(c) {
  open();
  $('passage-file').textContent = c.file;
  $('passage-where').textContent = 'Loading the passage…';
  $('passage-context').textContent = '';
  $('passage-links').hidden = true;
  try {
    const p = await api(passageApi(c));
    $('passage-file').textContent = p.file;
    $('passage-where').textContent = place(p);
    const mark = el('mark', 'passage', p.text);
    $('passage-context').replaceChildren(el('span', 'before', p.before), mark, el('span', 'after', p.after));
    $('passage-open').href = p.open_url;
    $('passage-open').textContent = p.page !== null ? `Open ${p.file} at page ${p.page}` : `Open ${p.file}`;
    $('passage-page').href = p.page_url;
    $('passage-links').hidden = false;
    mark.scrollIntoView({ block: 'center' });
  } catch (err) {
    $('passage-where').textContent = err.message;
  }
}

/** A citation link that opens its passage in the panel; its address stays the passage page (new tab, copy). */
export function passageLink(link, c) {
  link.onclick = (e) => {
    if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    showPassage(c);
  };
}

export function initPassagePanel() {
  $('passage-close').onclick = close;
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !$('passage-panel').hidden) close();
  });
}
