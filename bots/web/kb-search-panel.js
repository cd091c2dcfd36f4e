/** The test-search panel (bm25 / dense / hybrid side by side, with scores) and recent 👎 of one KB. */
import { t } from './i18n.js';
import { api, el } from './util.js';

const enc = encodeURIComponent;
const MODES = ['bm25', 'dense', 'hybrid'];

export function searchPanel(kb) {
  const panel = el('div', 'admin-panel');
  const form = el('form', 'search-form');
  const input = el('input');
  input.id = 'test-query';
  input.type = 'search';
  input.setAttribute('aria-label', t('query'));
  input.placeholder = t('query');
  const go = el('button', '', t('search'));
  go.type = 'submit';
  form.append(input, go);
  const columns = el('div', 'search-columns');
  form.onsubmit = async (e) => {
    e.preventDefault();
    const query = input.value.trim();
    if (!query) return;
    columns.textContent = '';
    const results = await Promise.all(
      MODES.map((mode) =>
        api(`/api/kb/${enc(kb)}/search`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query, mode, top_k: 5, score_threshold: 0 }),
        }).catch((err) => ({ error: err.message })),
      ),
    );
    MODES.forEach((mode, i) => {
      const col = el('section', `search-column mode-${mode}`);
      col.setAttribute('aria-label', mode);
      col.append(el('h3', '', mode));
      const r = results[i];
      if (r.error) col.append(el('p', 'bad', r.error));
      else if (r.hits.length === 0) col.append(el('p', 'muted', t('noHits')));
      const hits = el('ol', 'hits');
      for (const h of r.hits ?? []) {
        const item = el('li', 'hit');
        const head = `${h.score.toFixed(3)} · ${h.source}${h.page ? ` · p.${h.page}` : ''}`;
        item.append(el('div', 'hit-score', head), el('div', 'hit-text', h.text.slice(0, 400)));
        hits.append(item);
      }
      col.append(hits);
      columns.append(col);
    });
  };
  panel.append(form, columns);
  return panel;
}

export async function feedbackPanel(kb) {
  const panel = el('div', 'admin-panel');
  try {
    const { feedback } = await api(`/api/kb/${enc(kb)}/feedback`);
    if (feedback.length === 0) panel.append(el('p', 'muted', t('noFeedback')));
    const list = el('ul', 'feedback-list');
    for (const f of feedback) {
      const item = el('li', 'feedback');
      item.append(el('div', 'feedback-question', `👎 ${f.question}`));
      if (f.comment) item.append(el('div', 'feedback-comment', t('comment', { comment: f.comment })));
      item.append(el('div', 'muted feedback-answer', f.answer.slice(0, 300)));
      const where = f.platform && f.platform !== 'web' ? ` · ${f.platform}` : '';
      item.append(el('div', 'muted', `${new Date(f.createdAt).toLocaleString()}${where}`));
      list.append(item);
    }
    panel.append(list);
  } catch (err) {
    panel.append(el('p', 'bad', err.message));
  }
  return panel;
}
