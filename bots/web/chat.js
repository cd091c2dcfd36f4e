import { renderMarkdown } from './markdown.js';
import { $, el, headers, langOf, readSse, safeHref, shorten } from './util.js';

/** The conversation so far, sent with each question so follow-ups can refer back. */
const history = [];
let controller = null;

const PLACEHOLDERS = {
  kb: 'Ask the knowledge base…',
  llm: 'Chat with the model…',
  search: 'Ask the web…',
};
const SOURCE_NAMES = { web: 'web search', llm: "the model's own knowledge" };

/** Keeps the newest message in view, unless the reader has scrolled up to read older ones. */
function keepScrolled(update) {
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
  sup.append(link);
  return sup;
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
function answerView(box) {
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
    status(part) {
      status.textContent = part.queuePosition ? `Waiting for the model (position ${part.queuePosition})…` : part.text;
    },
    /** Re-renders the whole text at most once per frame, however fast the pieces arrive. */
    append(piece) {
      text += piece;
      if (!frame) frame = requestAnimationFrame(() => paint(pendingCite));
    },
    done(answer, model) {
      text = answer.markdown;
      const byN = new Map(answer.citations.map((c) => [c.n, c]));
      paint((n) => (byN.has(n) ? citeLink(byN.get(n)) : null));
      status.remove();
      for (const c of answer.citations) {
        const item = el('li');
        item.value = c.n;
        const link = el('a', '', describeSource(c));
        link.href = safeHref(c.url);
        link.target = '_blank';
        link.rel = 'noopener';
        item.append(link, el('div', 'snippet', shorten(c.snippet, 160)));
        citations.append(item);
      }
      const label = modelLabel(answer, model);
      if (label) meta.append(el('span', 'model', label));
      if (answer.sources.length > 0) {
        meta.append(el('span', 'sources', `Sources: ${answer.sources.map((s) => SOURCE_NAMES[s] ?? s).join(', ')}`));
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

function setBusy(busy) {
  $('ask').hidden = busy;
  $('stop').hidden = !busy;
}

async function ask(question) {
  const mode = $('mode').value;
  const kb = $('kb-select').value;
  const model = $('model-select').value;
  const user = el('div', 'msg user', question);
  user.lang = langOf(question);
  const box = el('article', 'msg bot');
  let view;
  keepScrolled(() => {
    $('messages').append(user, box);
    view = answerView(box);
  });
  if (mode === 'kb' && !kb) return view.fail('No knowledge base yet: create one and upload files first.');
  controller = new AbortController();
  setBusy(true);
  try {
    const res = await fetch('/api/chat', {
      method: 'POST',
      headers: headers({ 'content-type': 'application/json' }),
      body: JSON.stringify({ mode, question, kbs: mode === 'kb' ? [kb] : undefined, history, model: model || undefined }),
      signal: controller.signal,
    });
    if (!res.ok) throw new Error((await res.json().catch(() => ({}))).error?.message ?? res.statusText);
    await readSse(res, (part) => {
      if (part.type === 'status') keepScrolled(() => view.status(part));
      else if (part.type === 'text') view.append(part.text);
      else if (part.type === 'error') keepScrolled(() => view.fail(part.message));
      else if (part.type === 'done') {
        keepScrolled(() => view.done(part.answer, model));
        history.push({ role: 'user', content: question }, { role: 'assistant', content: part.answer.markdown });
      }
    });
  } catch (err) {
    if (err.name === 'AbortError') view.stopped();
    else view.fail(err.message);
  } finally {
    setBusy(false);
    controller = null;
  }
}

/** Only knowledge-base chat reads a knowledge base; the picker is off in the other modes. */
function applyMode() {
  const mode = $('mode').value;
  $('kb-select').disabled = mode !== 'kb';
  $('question').placeholder = `${PLACEHOLDERS[mode] ?? 'Ask…'} (Enter to send, Shift+Enter for a new line)`;
}

export function initChat() {
  applyMode();
  $('mode').onchange = applyMode;
  $('ask-form').onsubmit = (e) => {
    e.preventDefault();
    const q = $('question').value.trim();
    if (!q || controller) return;
    $('question').value = '';
    ask(q);
  };
  $('question').onkeydown = (e) => {
    // Enter also confirms a candidate in Chinese and other input methods; that must not send.
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      $('ask-form').requestSubmit();
    }
  };
  $('stop').onclick = () => controller?.abort();
  $('reset').onclick = () => {
    controller?.abort();
    history.length = 0;
    $('messages').textContent = '';
  };
}
