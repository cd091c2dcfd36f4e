/**
 * The web chat as a platform of the bot runtime: messages, files and "/kb" commands go to
 * /api/conversations/<id>/…, and every reply part the runtime writes is rendered here.
 */
import { answerView, keepScrolled } from './answer-view.js';
import { renderMarkdown } from './markdown.js';
import { el, headers, readSse } from './util.js';

const STORAGE_KEY = 'teamkb-conversation';

/** 24 hex digits; getRandomValues also works on plain-http LAN addresses, where randomUUID does not. */
function newId() {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The open conversation: its questions, answers and attached files stay on the server under this
 * id, and it opens again after a reload (the id is remembered in this browser).
 */
export function conversationId() {
  let id = localStorage.getItem(STORAGE_KEY);
  if (!id) {
    id = newId();
    localStorage.setItem(STORAGE_KEY, id);
  }
  return id;
}

export function newConversation() {
  localStorage.setItem(STORAGE_KEY, newId());
}

/** Makes an existing conversation (from the list) the open one. */
export function useConversation(id) {
  localStorage.setItem(STORAGE_KEY, id);
}

/** "Reading report.pdf… 1/2 files", then the job's summary line once it is finished. */
function progressText(p) {
  if (p.summary) return `Done: ${p.summary}`;
  const reading = p.currentFile ? `Reading ${p.currentFile}…` : 'Reading files…';
  return `${reading} ${p.filesDone}/${p.filesTotal} files`;
}

function markdownBlock(markdown, cls) {
  const block = el('div', cls);
  block.append(renderMarkdown(markdown));
  return block;
}

/** Sends a request whose reply streams as parts, and renders them into `view`. */
async function streamReply(path, init, view) {
  try {
    const res = await fetch(path, init);
    if (!res.ok) throw new Error((await res.json().catch(() => ({}))).error?.message ?? res.statusText);
    await readSse(res, (part) => view.part(part));
    view.end();
  } catch (err) {
    if (err.name === 'AbortError') view.stopped();
    else view.fail(err.message);
  }
}

/** Presses a button of an earlier reply; its reply is rendered below the button row. */
function pressButton(conversation, action, value, after, model) {
  const box = el('div', 'action-reply');
  after.after(box);
  const view = replyView(box, { conversation, model });
  return streamReply(
    `/api/conversations/${conversation}/actions`,
    {
      method: 'POST',
      headers: headers({ 'content-type': 'application/json' }),
      body: JSON.stringify({ action, value }),
    },
    view,
  );
}

function buttonRow(conversation, buttons, model) {
  const row = el('div', 'reply-buttons');
  for (const b of buttons) {
    const button = el('button', b.style === 'danger' ? 'danger' : b.style === 'primary' ? '' : 'secondary', b.label);
    button.type = 'button';
    button.onclick = () => {
      for (const other of row.querySelectorAll('button')) other.disabled = true;
      button.classList.add('chosen');
      pressButton(conversation, b.action, b.value, row, model);
    };
    row.append(button);
  }
  return row;
}

/** One reply: parts are rendered in the order they arrive; an answer streams into one block. */
function replyView(box, { conversation, model, onAnswer }) {
  const waiting = el('div', 'status', 'Working…');
  box.append(waiting);
  const progress = new Map();
  let answer = null;
  let answered = false;

  const add = (node) =>
    keepScrolled(() => {
      waiting.remove();
      box.append(node);
    });
  const answerBlock = () => {
    if (!answer) {
      const block = el('div', 'reply-answer');
      add(block);
      answer = answerView(block);
    }
    return answer;
  };
  const showProgress = (p) => {
    const line = progress.get(p.jobId) ?? el('div', 'progress');
    if (!progress.has(p.jobId)) {
      progress.set(p.jobId, line);
      add(line);
    }
    line.textContent = progressText(p);
  };
  const showError = (p) => {
    const message = p.ref ? `${p.message} (ref ${p.ref})` : p.message;
    if (answer && !answered) keepScrolled(() => answer.fail(message));
    else add(el('div', 'error', message));
  };

  return {
    part(p) {
      if (p.type === 'status') keepScrolled(() => answerBlock().status(p));
      else if (p.type === 'text') answerBlock().append(p.text);
      else if (p.type === 'citation') answerBlock().cite(p.citation);
      else if (p.type === 'done') {
        answered = true;
        const view = answerBlock();
        keepScrolled(() => view.done(p.answer, model));
        onAnswer?.(p.answer, view);
      } else if (p.type === 'error') showError(p);
      else if (p.type === 'message')
        add(markdownBlock(p.markdown, p.ephemeral ? 'answer reply-message ephemeral' : 'answer reply-message'));
      else if (p.type === 'progress') showProgress(p.progress);
      else if (p.type === 'buttons') {
        const block = markdownBlock(p.markdown, 'answer reply-prompt');
        block.append(buttonRow(conversation, p.buttons, model));
        add(block);
      }
    },
    end() {
      if (box.childElementCount === 1 && waiting.isConnected) waiting.replaceWith(el('div', 'muted', 'No reply.'));
      waiting.remove();
    },
    fail(message) {
      if (answer && !answered) return answer.fail(message);
      add(el('div', 'error', message));
    },
    stopped() {
      if (answer && !answered) return answer.stopped();
      waiting.textContent = 'Stopped.';
      waiting.className = 'status stopped';
      if (!waiting.isConnected) box.append(waiting);
    },
  };
}

/**
 * Sends text and files to the conversation; the reply (progress, answer, messages, buttons) is
 * rendered into `box`. `onAnswer` gets each finished answer.
 */
export function sendToConversation({ text, files, box, signal, model, onAnswer, replaces }) {
  const conversation = conversationId();
  const view = replyView(box, { conversation, model, onAnswer });
  let init;
  if (files.length > 0) {
    const form = new FormData();
    form.append('text', text);
    if (replaces) form.append('replaces', replaces);
    if (model) form.append('model', model);
    for (const file of files) form.append('files', file, file.name);
    init = { method: 'POST', headers: headers(), body: form, signal };
  } else {
    init = {
      method: 'POST',
      headers: headers({ 'content-type': 'application/json' }),
      body: JSON.stringify({ text, replaces, model: model || undefined }),
      signal,
    };
  }
  return streamReply(`/api/conversations/${conversation}/messages`, init, view);
}
