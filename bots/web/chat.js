import { answerView, keepScrolled } from './answer-view.js';
import { attachedFiles, clearAttachments, initAttachments } from './attachments.js';
import { newConversation, sendToConversation } from './conversation.js';
import { $, el, headers, langOf, readSse } from './util.js';

/** The conversation so far, sent with each /api/chat question so follow-ups can refer back. */
const history = [];
let controller = null;

const PLACEHOLDERS = {
  kb: 'Ask the knowledge base…',
  llm: 'Chat with the model…',
  search: 'Ask the web…',
  agent: 'Ask anything; the agent searches every knowledge base (and the web) for you…',
  conversation: 'Ask, attach files with the paperclip, or type /kb help…',
};

/** Attached files and "/kb" commands always go to the chat runtime, whatever the mode. */
const KB_COMMAND = /^\/kb(\s|$)/;

function setBusy(busy) {
  $('ask').hidden = busy;
  $('stop').hidden = !busy;
}

function remember(question, answer) {
  history.push({ role: 'user', content: question }, { role: 'assistant', content: answer.markdown });
}

/** Plain KB, model and web-search questions: one answer streamed from /api/chat. */
async function askDirect(question, box, mode, model) {
  const kb = $('kb-select').value;
  let view;
  keepScrolled(() => {
    view = answerView(box);
  });
  if (mode === 'kb' && !kb) return view.fail('No knowledge base yet: create one and upload files first.');
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
        remember(question, part.answer);
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
  if (files.length > 0) user.append(el('div', 'attached-names', `Attached: ${files.map((f) => f.name).join(', ')}`));
  return user;
}

async function ask(question) {
  const mode = $('mode').value;
  const model = $('model-select').value;
  const files = attachedFiles();
  const viaRuntime = files.length > 0 || KB_COMMAND.test(question) || mode === 'conversation';
  const box = el('article', 'msg bot');
  keepScrolled(() => $('messages').append(userMessage(question, files), box));
  controller = new AbortController();
  setBusy(true);
  try {
    if (!viaRuntime) return await askDirect(question, box, mode, model);
    clearAttachments();
    const onAnswer = (answer) => remember(question, answer);
    await sendToConversation({ text: question, files, box, signal: controller.signal, model, onAnswer });
    // Follow-up questions should reach the files just shared, which only the conversation knows.
    if (files.length > 0 && mode !== 'conversation') {
      $('mode').value = 'conversation';
      applyMode();
    }
  } finally {
    setBusy(false);
    controller = null;
  }
}

/** Only knowledge-base chat reads the picked knowledge base; the picker is off in the other modes. */
function applyMode() {
  const mode = $('mode').value;
  $('kb-select').disabled = mode !== 'kb';
  $('question').placeholder = `${PLACEHOLDERS[mode] ?? 'Ask…'} (Enter to send, Shift+Enter for a new line)`;
}

export function initChat() {
  applyMode();
  initAttachments();
  $('mode').onchange = applyMode;
  $('ask-form').onsubmit = (e) => {
    e.preventDefault();
    const q = $('question').value.trim();
    if ((!q && attachedFiles().length === 0) || controller) return;
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
    newConversation();
    $('messages').textContent = '';
  };
}
