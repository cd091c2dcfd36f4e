/**
 * The sidebar of past conversations: newest first, searchable, renamable, deletable. Opening one
 * restores its questions and answers and the mode, knowledge base and model it was asked with.
 * Conversations from chat platforms (same person) open read-only.
 */
import { applyMode, showTurn, stopAnswer } from './chat.js';
import { conversationId, newConversation, useConversation } from './conversation.js';
import { onLangChange, t } from './i18n.js';
import { icon } from './icons.js';
import { $, api, el } from './util.js';

let searchTimer = 0;
let lastList = [];

const PLATFORM_NAMES = { slack: 'Slack', discord: 'Discord', feishu: 'Feishu', lark: 'Lark' };
const platformName = (p) => PLATFORM_NAMES[p] ?? p;

function setSelect(select, value) {
  if (value && [...select.options].some((o) => o.value === value)) select.value = value;
}

/** Restores what the conversation was asked with, where this server still offers it. */
function restoreSettings(c) {
  setSelect($('mode'), c.mode);
  if (c.kbs[0]) {
    setSelect($('kb-select'), c.kbs[0]);
    $('kb-select').dispatchEvent(new Event('change'));
  }
  setSelect($('model-select'), c.model);
  applyMode();
}

function setReadOnly(c) {
  const note = $('read-only-note');
  const readOnly = Boolean(c?.readOnly);
  note.hidden = !readOnly;
  note.textContent = readOnly ? t('readOnlyNote', { platform: platformName(c.platform) }) : '';
  $('ask-form').inert = readOnly;
  $('ask-form').classList.toggle('disabled', readOnly);
}

function item(c) {
  const row = el('li', 'conversation');
  const open = el('button', 'conversation-open', c.title);
  open.type = 'button';
  if (c.id === conversationId()) open.setAttribute('aria-current', 'true');
  open.onclick = () => openConversation(c.id);
  row.append(open);
  if (c.readOnly) {
    row.append(el('span', 'badge', platformName(c.platform)));
    open.title = t('readOnly', { platform: platformName(c.platform) });
    return row;
  }
  const rename = el('button', 'icon rename');
  rename.append(icon('edit'));
  rename.type = 'button';
  rename.title = t('rename');
  rename.setAttribute('aria-label', `${t('rename')}: ${c.title}`);
  rename.onclick = async () => {
    const title = prompt(t('renamePrompt'), c.title)?.trim();
    if (!title) return;
    await api(`/api/conversations/${c.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title }),
    });
    refreshConversations();
  };
  const remove = el('button', 'icon delete');
  remove.append(icon('trash'));
  remove.type = 'button';
  remove.title = t('delete');
  remove.setAttribute('aria-label', `${t('delete')}: ${c.title}`);
  remove.onclick = async () => {
    if (!confirm(t('deleteConversation', { title: c.title }))) return;
    await api(`/api/conversations/${c.id}`, { method: 'DELETE' });
    if (c.id === conversationId()) startNew();
    refreshConversations();
  };
  row.append(rename, remove);
  return row;
}

function render() {
  const list = $('conversation-list');
  list.replaceChildren(...lastList.map(item));
  $('no-conversations').hidden = lastList.length > 0;
}

export async function refreshConversations() {
  try {
    const q = $('conversation-search').value.trim();
    const { conversations } = await api(`/api/conversations?q=${encodeURIComponent(q)}`);
    lastList = conversations;
    render();
  } catch {
    // No conversation store (or not signed in yet): the list stays empty.
  }
}

function startNew() {
  newConversation();
  $('messages').textContent = '';
  setReadOnly(null);
}

/** Opens a conversation; a missing one (deleted elsewhere, never asked) leaves an empty chat under that id. */
export async function openConversation(id) {
  stopAnswer();
  useConversation(id);
  $('messages').textContent = '';
  render();
  try {
    const c = await api(`/api/conversations/${encodeURIComponent(id)}`);
    restoreSettings(c);
    setReadOnly(c);
    for (const turn of c.turns) showTurn(turn, { readOnly: c.readOnly });
    $('messages').scrollTop = $('messages').scrollHeight;
  } catch {
    setReadOnly(null);
  }
}

export function initConversationList() {
  $('conversation-search').addEventListener('input', () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(refreshConversations, 200);
  });
  onLangChange(render);
}

/** After a reload: the conversation that was open, with its settings; then the list. */
export async function resumeConversation() {
  await openConversation(conversationId());
  await refreshConversations();
}

export { startNew as clearConversationView };
