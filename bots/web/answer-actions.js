/**
 * The row under every finished answer, in every mode: the time it took, copy, regenerate and
 * 👍/👎 (👎 asks for an optional comment). Votes are kept with the conversation on the server.
 */
import { t } from './i18n.js';
import { icon } from './icons.js';
import { api, el } from './util.js';

async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // Plain-http LAN addresses have no clipboard API: fall back to a selected text area.
    const area = el('textarea');
    area.value = text;
    area.setAttribute('aria-hidden', 'true');
    area.className = 'offscreen';
    document.body.append(area);
    area.select();
    document.execCommand('copy');
    area.remove();
  }
}

function button(name, cls, title) {
  const b = el('button', `icon ${cls}`);
  b.append(icon(name));
  b.type = 'button';
  b.title = title;
  b.setAttribute('aria-label', title);
  return b;
}

function sendVote(conversation, answerId, vote, comment) {
  return api(`/api/conversations/${encodeURIComponent(conversation)}/feedback`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ answerId, vote, comment: comment || undefined }),
  });
}

/**
 * Adds the actions to an answer's meta row.
 * opts: { conversation, answer, elapsedMs, vote, readOnly, onRegenerate }
 */
export function addAnswerActions(meta, opts) {
  const { answer, conversation } = opts;
  if (typeof opts.elapsedMs === 'number') {
    meta.append(el('span', 'took', t('took', { s: (opts.elapsedMs / 1000).toFixed(1) })));
  }
  const row = el('span', 'answer-actions');
  row.setAttribute('role', 'group');
  const copy = button('copy', 'copy', t('copy'));
  copy.onclick = async () => {
    await copyText(answer.markdown);
    copy.replaceChildren(icon('check'));
    copy.title = t('copied');
    setTimeout(() => {
      copy.replaceChildren(icon('copy'));
      copy.title = t('copy');
    }, 1500);
  };
  row.append(copy);
  if (!opts.readOnly && opts.onRegenerate) {
    const again = button('regenerate', 'regenerate', t('regenerate'));
    again.onclick = () => opts.onRegenerate();
    row.append(again);
  }
  if (!opts.readOnly && answer.answerId) {
    const up = button('up', 'vote-up', t('helpful'));
    const down = button('down', 'vote-down', t('notHelpful'));
    const note = el('span', 'vote-note muted');
    note.setAttribute('role', 'status');
    const mark = (vote) => {
      up.setAttribute('aria-pressed', String(vote === 'up'));
      down.setAttribute('aria-pressed', String(vote === 'down'));
    };
    mark(opts.vote?.vote);
    const vote = async (value, comment) => {
      try {
        await sendVote(conversation, answer.answerId, value, comment);
        mark(value);
        note.textContent = t('feedbackThanks');
      } catch (err) {
        note.textContent = err.message;
      }
    };
    up.onclick = () => vote('up');
    down.onclick = () => {
      mark('down');
      if (row.nextElementSibling?.classList.contains('vote-comment')) return;
      const form = el('form', 'vote-comment');
      const input = el('input');
      input.placeholder = t('commentPlaceholder');
      input.setAttribute('aria-label', t('commentPlaceholder'));
      input.maxLength = 2000;
      const send = el('button', 'secondary', t('sendFeedback'));
      send.type = 'submit';
      form.append(input, send);
      form.onsubmit = async (e) => {
        e.preventDefault();
        await vote('down', input.value.trim());
        form.remove();
      };
      row.after(form);
      input.focus();
      // The vote counts even without a comment; the comment, when sent, replaces it.
      vote('down');
    };
    row.append(up, down, note);
  }
  meta.append(row);
}
