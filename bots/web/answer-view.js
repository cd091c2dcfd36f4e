import { renderMarkdown } from './markdown.js';
import { hasPassage, passageLink } from './passage-panel.js';
import { $, el, langOf, safeHref, shorten } from './util.js';

const SOURCE_NAMES = { web: 'web search', llm: "the model's own knowledge" };
/** Files attached in a conversation live in a temporary knowledge base named "tmp-…". */
const sourceName = (s) => SOURCE_NAMES[s] ?? (s.startsWith('tmp-') ? 'the attached files' : s);

/** Keeps the newest message in view, unless the reader has scrolled up to read older ones. */
export function keepScrolled(update) {
  const box = $('messages');
  const atEnd = box.scrollHeight - box.scrollTop - box.clientHeight < 48;
  update();
  if (atEnd) box.scrollTop = box.scrollHeight;
}

function describeSource(c) {
  return `${c.file}${c.page ? ` p.${c.page}` : ''}${c.section ? ` — ${c.section}` : ''}`;
}

function citeLink(c) {
  const sup = el('sup');
  const link = el('a', 'cite', `[${c.n}]`);
  link.href = safeHref(c.url);
  link.target = '_blank';
  link.rel = 'noopener';
  link.title = `${describeSource(c)}: ${shorten(c.snippet, 200)}`;
  if (hasPassage(c)) passageLink(link, c);
  sup.append(link);
  return sup;
}

function sourceItem(c) {
  const item = el('li');
  item.value = c.n;
  const link = el('a', '', describeSource(c));
  link.href = safeHref(c.url);
  link.target = '_blank';
  link.rel = 'noopener';
  if (hasPassage(c)) passageLink(link, c);
  item.append(link, el('div', 'snippet', shorten(c.snippet, 160)));
  return item;
}

/** While streaming the cited sources are not known yet, so `[n]` shows as a plain superscript. */
const pendingCite = (n) => el('sup', 'cite pending', `[${n}]`);

/** Which model wrote the answer; empty when none did (nothing matched, or passages were quoted). */
function modelLabel(answer, model) {
  if (answer.model) return `Model: ${answer.model}`;
  if (answer.mode === 'extractive') return 'No model loaded: the best passages, quoted';
  if (answer.mode === 'llm') return model ? `Model: ${model}` : 'No model loaded';
  return model && answer.citations.length > 0 ? `Model: ${model}` : '';
}

/** The bot's side of one exchange: status while waiting, the answer as it streams, then sources. */
export function answerView(box) {
  const status = el('div', 'status', 'Thinking…');
  const body = el('div', 'answer');
  const citations = el('ol', 'citations');
  const meta = el('div', 'meta');
  box.append(status, body, citations, meta);
  let text = '';
  let frame = 0;

  const paint = (cite) => {
    cancelAnimationFrame(frame);
    frame = 0;
    keepScrolled(() => {
      body.lang = langOf(text);
      body.replaceChildren(renderMarkdown(text, { cite }));
    });
  };

  return {
    meta,
    status(part) {
      status.textContent = part.queuePosition ? `Waiting for the model (position ${part.queuePosition})…` : part.text;
    },
    /** Re-renders the whole text at most once per frame, however fast the pieces arrive. */
    append(piece) {
      text += piece;
      if (!frame) frame = requestAnimationFrame(() => paint(pendingCite));
    },
    /** A source announced before the answer is complete. */
    cite(c) {
      keepScrolled(() => citations.append(sourceItem(c)));
    },
    done(answer, model) {
      text = answer.markdown;
      const byN = new Map(answer.citations.map((c) => [c.n, c]));
      paint((n) => (byN.has(n) ? citeLink(byN.get(n)) : null));
      status.remove();
      citations.replaceChildren(...answer.citations.map(sourceItem));
      const label = modelLabel(answer, model);
      if (label) meta.append(el('span', 'model', label));
      if (answer.sources.length > 0) {
        meta.append(el('span', 'sources', `Sources: ${answer.sources.map(sourceName).join(', ')}`));
      }
    },
    fail(message) {
      if (frame) paint(pendingCite);
      status.replaceWith(el('div', 'error', message));
    },
    stopped() {
      paint(pendingCite);
      status.textContent = 'Stopped.';
      status.className = 'status stopped';
    },
  };
}
