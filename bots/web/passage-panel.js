import { setCitationHandler } from './citation-hook.js';
import { t } from './i18n.js';
import { $, api, el } from './util.js';

/** Citations of knowledge-base passages open in the side panel; web results open their own page. */
export const hasPassage = (c) => Boolean(c.kb && c.chunkId);

const passageApi = (c) => `/api/kb/${encodeURIComponent(c.kb)}/passages/${encodeURIComponent(c.chunkId)}`;

function place(p) {
  const parts = [p.kb];
  if (p.page !== null && p.page !== undefined) parts.push(t('pageN', { page: p.page }));
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
  $('passage-where').textContent = t('loadingPassage');
  $('passage-context').textContent = '';
  $('passage-links').hidden = true;
  try {
    const p = await api(passageApi(c));
    $('passage-file').textContent = p.file;
    $('passage-where').textContent = place(p);
    const mark = el('mark', 'passage', p.text);
    $('passage-context').replaceChildren(el('span', 'before', p.before), mark, el('span', 'after', p.after));
    $('passage-open').href = p.open_url;
    $('passage-open').textContent =
      p.page !== null ? t('openFileAtPage', { file: p.file, page: p.page }) : t('openFile', { file: p.file });
    $('passage-page').href = p.page_url;
    $('passage-links').hidden = false;
    mark.scrollIntoView({ block: 'center' });
  } catch (err) {
    $('passage-where').textContent = err.message;
  }
}

export function initPassagePanel() {
  // A click on a knowledge-base citation opens the panel; web results (and ctrl/cmd-clicks) follow their link.
  setCitationHandler((c) => {
    if (!hasPassage(c)) return false;
    showPassage(c);
    return true;
  });
  $('passage-close').onclick = close;
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !$('passage-panel').hidden) close();
  });
}
