import { applyMode, initChat } from './chat.js';
import { initConversationList, refreshConversations, resumeConversation } from './conversation-list.js';
import { applyI18n, currentLang, onLangChange, setLang, t } from './i18n.js';
import { openKbAdmin } from './kb-admin.js';
import { initKbPanel, loadFiles } from './kb-panel.js';
import { initPassagePanel } from './passage-panel.js';
import { applyTheme, currentTheme, setTheme } from './theme.js';
import { $, api, el, headers } from './util.js';

let kbList = [];

/** The chat's KB picker and the side panel's show the same knowledge base. */
async function selectKb(name) {
  $('kb-select').value = name;
  $('panel-kb').value = name;
  const kb = kbList.find((k) => k.name === name);
  $('manage-kb').hidden = !kb?.canManage;
  $('upload-form').hidden = Boolean(kb) && kb.canUpload === false;
  await loadFiles();
}

async function loadKbs(selected = undefined) {
  const { kbs } = await api('/api/kb');
  kbList = kbs;
  const current = selected ?? $('panel-kb').value;
  for (const select of [$('kb-select'), $('panel-kb')]) {
    select.textContent = '';
    for (const kb of kbs) select.append(new Option(kb.name, kb.name));
  }
  const keep = current && kbs.some((kb) => kb.name === current) ? current : (kbs[0]?.name ?? '');
  await selectKb(keep);
}

/** Links to API downloads cannot carry the API key, so with a key set they are fetched and saved here. */
async function downloadWithKey(link) {
  const res = await fetch(link.href, { headers: headers() });
  if (!res.ok) throw new Error((await res.json().catch(() => ({}))).error?.message ?? `${res.status} ${res.statusText}`);
  const name = decodeURIComponent(link.pathname.split('/').at(-2) ?? 'download');
  const url = URL.createObjectURL(await res.blob());
  const save = el('a');
  save.href = url;
  save.download = name;
  save.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Models, embedder and knowledge bases; asks for the API key when the server wants one. */
async function loadAll() {
  try {
    const status = await api('/api/status');
    $('status').textContent = `LLM: ${status.llms[0] ?? 'none (extractive answers)'} · embedder: ${status.embedder}`;
    $('model-select').textContent = '';
    for (const m of status.llms) $('model-select').append(new Option(m, m));
    if (status.llms.length === 0) $('model-select').append(new Option('none', ''));
    await loadKbs();
    await resumeConversation();
  } catch (err) {
    $('status').textContent = err.message;
    if (err.status === 401) $('api-key').closest('details').open = true;
  }
}

function initHeader() {
  $('lang-select').value = currentLang();
  $('lang-select').onchange = () => setLang($('lang-select').value);
  $('theme-select').value = currentTheme();
  $('theme-select').onchange = () => setTheme($('theme-select').value);
  const toggle = $('toggle-sidebar');
  toggle.onclick = () => {
    const open = document.body.classList.toggle('sidebar-open');
    toggle.setAttribute('aria-expanded', String(open));
  };
  $('conversation-list').addEventListener('click', (e) => {
    if (e.target.closest('.conversation-open')) {
      document.body.classList.remove('sidebar-open');
      toggle.setAttribute('aria-expanded', 'false');
    }
  });
}

async function init() {
  applyTheme();
  applyI18n();
  onLangChange(() => selectKb($('panel-kb').value));
  initHeader();
  document.addEventListener('click', (e) => {
    const link = e.target.closest?.('a[href^="/api/"]');
    if (!link || !localStorage.getItem('teamkb-api-key')) return;
    e.preventDefault();
    downloadWithKey(link).catch((err) => alert(err.message));
  });
  $('api-key').value = localStorage.getItem('teamkb-api-key') ?? '';
  $('api-key').onchange = () => {
    localStorage.setItem('teamkb-api-key', $('api-key').value);
    loadAll();
  };
  initChat({ onChange: refreshConversations, onNew: refreshConversations });
  initConversationList();
  initPassagePanel();
  initKbPanel({ onCreated: (name) => loadKbs(name) });
  $('kb-select').addEventListener('change', () => selectKb($('kb-select').value));
  $('panel-kb').onchange = () => selectKb($('panel-kb').value);
  $('manage-kb').onclick = () =>
    openKbAdmin($('panel-kb').value, { onDeleted: () => loadKbs() }).catch((err) => alert(err.message));
  applyMode();
  await loadAll();
  document.title = `TeamKB — ${t('chat')}`;
}

init();
