import { addAnswerActions } from './answer-actions.js';
import { answerView, keepScrolled, scrollToEnd } from './answer-view.js';
import { attachedFiles, clearAttachments, initAttachments } from './attachments.js';
import { conversationId, newConversation, sendToConversation } from './conversation.js';
import { onLangChange, t } from './i18n.js';
import { initKeyboard } from './keyboard.js';
import { $, el, headers, langOf, readSse } from './util.js';

let controller = null;
/** Called after every exchange, so the conversation list can show a new or updated conversation. */
let onExchange = () => {};

const PLACEHOLDERS = { kb: 'phKb', llm: 'phLlm', search: 'phSearch', agent: 'phAgent', conversation: 'phConversation' };

/** Attached files and "/kb" commands always go to the chat runtime, whatever the mode. */
const KB_COMMAND = /^\/kb(\s|$)/;

function setBusy(busy) {
  $('ask').hidden = busy;
  $('stop').hidden = !busy;
}

/** What this question is asked with: kept with the conversation and restored with it. */
function settings() {
  const mode = $('mode').value;
  return { mode, model: $('model-select').value, kbs: mode === 'kb' && $('kb-select').value ? [$('kb-select').value] : [] };
}

/** The actions row of a finished answer; regenerating asks the same question again into the same box. */
function finish(box, view, answer, { question, started, viaRuntime, elapsedMs }) {
  addAnswerActions(view.meta, {
    conversation: conversationId(),
    answer,
    elapsedMs: elapsedMs ?? Date.now() - started,
    onRegenerate: () => {
      if (controller) return;
      box.textContent = '';
      run(question, box, { viaRuntime, files: [], replaces: answer.answerId });
    },
  });
}

/** Plain KB, model and web-search questions: one answer streamed from /api/chat, kept in the conversation. */
async function askDirect(question, box, { replaces }) {
  const { mode, model, kbs } = settings();
  const started = Date.now();
  let view;
  keepScrolled(() => {
    view = answerView(box);
  });
  if (mode === 'kb' && kbs.length === 0) return view.fail(t('noKbToAsk'));
  try {
    const res = await fetch('/api/chat', {
      method: 'POST',
      headers: headers({ 'content-type': 'application/json' }),
      body: JSON.stringify({
        mode,
        question,
        kbs: mode === 'kb' ? kbs : undefined,
        model: model || undefined,
        conversation: conversationId(),
        replaces,
      }),
      signal: controller.signal,
    });
    if (!res.ok) throw new Error((await res.json().catch(() => ({}))).error?.message ?? res.statusText);
    await readSse(res, (part) => {
      if (part.type === 'status') keepScrolled(() => view.status(part));
      else if (part.type === 'text') view.append(part.text);
      else if (part.type === 'error') keepScrolled(() => view.fail(part.message));
      else if (part.type === 'done') {
        keepScrolled(() => {
          view.done(part.answer, model);
          finish(box, view, part.answer, { question, started, viaRuntime: false });
        });
      }
    });
  } catch (err) {
    if (err.name === 'AbortError') view.stopped();
    else view.fail(err.message);
  }
}

function userMessage(question, files) {
  const user = el('div', 'msg user', question);
  user.lang = langOf(question);
  if (files.length > 0) user.append(el('div', 'attached-names', `📎 ${files.map((f) => f.name).join(', ')}`));
  return user;
}

async function run(question, box, { viaRuntime, files, replaces }) {
  const { model } = settings();
  const started = Date.now();
  controller = new AbortController();
  setBusy(true);
  try {
    if (!viaRuntime) return await askDirect(question, box, { replaces });
    clearAttachments();
    const onAnswer = (answer, view) => finish(box, view, answer, { question, started, viaRuntime: true });
    await sendToConversation({ text: question, files, box, signal: controller.signal, model, onAnswer, replaces });
    // Follow-up questions should reach the files just shared, which only the conversation knows.
    if (files.length > 0 && $('mode').value !== 'conversation') {
      $('mode').value = 'conversation';
      applyMode();
    }
  } finally {
    setBusy(false);
    controller = null;
    onExchange();
  }
}

function ask(question) {
  const files = attachedFiles();
  const viaRuntime = files.length > 0 || KB_COMMAND.test(question) || $('mode').value === 'conversation';
  const box = el('article', 'msg bot');
  box.setAttribute('aria-label', t('answerLabel'));
  $('messages').append(userMessage(question, files), box);
  scrollToEnd();
  return run(question, box, { viaRuntime, files });
}

/** One stored exchange, as it was shown when it happened (resuming a conversation). */
export function showTurn(turn, { readOnly }) {
  const box = el('article', 'msg bot');
  $('messages').append(userMessage(turn.question, []), box);
  const view = answerView(box);
  view.done(turn.answer, turn.model ?? undefined);
  if (readOnly) return addAnswerActions(view.meta, { answer: turn.answer, readOnly: true });
  const viaRuntime = turn.mode === 'conversation';
  addAnswerActions(view.meta, {
    conversation: conversationId(),
    answer: turn.answer,
    elapsedMs: turn.elapsedMs ?? undefined,
    vote: turn.vote,
    onRegenerate: () => {
      if (controller) return;
      box.textContent = '';
      run(turn.question, box, { viaRuntime, files: [], replaces: turn.answer.answerId });
    },
  });
}

/** Only knowledge-base chat reads the picked knowledge base; the picker is off in the other modes. */
export function applyMode() {
  const mode = $('mode').value;
  $('kb-select').disabled = mode !== 'kb';
  $('question').placeholder = `${t(PLACEHOLDERS[mode] ?? 'phKb')} ${t('hint')}`;
}

/** Stops the answer being written, if any (Esc, the Stop button, switching conversations). */
export function stopAnswer() {
  controller?.abort();
}

export function initChat({ onChange, onNew }) {
  onExchange = onChange;
  applyMode();
  onLangChange(applyMode);
  initAttachments();
  $('mode').addEventListener('change', applyMode);
  $('ask-form').onsubmit = (e) => {
    e.preventDefault();
    const q = $('question').value.trim();
    if ((!q && attachedFiles().length === 0) || controller || $('ask-form').inert) return;
    $('question').value = '';
    ask(q);
  };
  $('question').onkeydown = (e) => {
    // Enter also confirms a candidate in Chinese and other input methods; that must not send.
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      $('ask-form').requestSubmit();
    } else if (e.key === 'Escape') stopAnswer();
  };
  $('stop').onclick = stopAnswer;
  $('reset').onclick = () => {
    stopAnswer();
    newConversation();
    $('messages').textContent = '';
    onNew();
  };
  initKeyboard({ focusInput: () => $('question').focus(), stop: stopAnswer });
}
