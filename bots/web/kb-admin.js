/**
 * Managing one knowledge base (for those the access policy lets manage it): settings, re-index,
 * delete with confirmation, a chunk browser, a test search comparing bm25 / dense / hybrid hits
 * with their scores, and the recent 👎 on answers that used it.
 */
import { addMessages, t } from './i18n.js';
import { feedbackPanel, searchPanel } from './kb-search-panel.js';
import { $, api, el, headers, readSse } from './util.js';

addMessages({
  en: {
    manageKb: 'Manage "{kb}"',
    close: 'Close',
    tabSettings: 'Settings',
    tabChunks: 'Chunks',
    tabSearch: 'Test search',
    tabFeedback: 'Feedback',
    description: 'Description',
    visibility: 'Visibility',
    visPublic: 'Public: everyone may search it',
    visRestricted: 'Restricted: admins and bound channels',
    visPrivate: 'Private: its creator and admins',
    save: 'Save',
    saved: 'Saved.',
    reindex: 'Re-index',
    reindexing: 'Re-indexing… {done}/{total} files',
    reindexDone: 'Re-indexed: {ingested} files, {failed} failed.',
    deleteKb: 'Delete this knowledge base',
    deleteKbConfirm: 'Delete "{kb}" with all its files and chunks? This cannot be undone.',
    file: 'File',
    chunkOf: 'Chunk {n} of {total}',
    page: 'page {page}',
    noChunks: 'No chunks (the file is not indexed).',
    query: 'Query',
    search: 'Search',
    noHits: 'No hits.',
    noFeedback: 'No 👎 yet on answers from this knowledge base.',
    comment: 'Comment: {comment}',
    notAllowed: 'You may not manage this knowledge base.',
  },
  zh: {
    manageKb: '管理“{kb}”',
    close: '关闭',
    tabSettings: '设置',
    tabChunks: '分块',
    tabSearch: '测试检索',
    tabFeedback: '反馈',
    description: '描述',
    visibility: '可见性',
    visPublic: '公开：所有人可检索',
    visRestricted: '受限：管理员与绑定的频道',
    visPrivate: '私有：创建者与管理员',
    save: '保存',
    saved: '已保存。',
    reindex: '重建索引',
    reindexing: '重建索引中… {done}/{total} 个文件',
    reindexDone: '已重建索引：{ingested} 个文件，{failed} 个失败。',
    deleteKb: '删除此知识库',
    deleteKbConfirm: '删除“{kb}”及其全部文件和分块？此操作无法撤销。',
    file: '文件',
    chunkOf: '第 {n} / {total} 个分块',
    page: '第 {page} 页',
    noChunks: '没有分块（文件尚未索引）。',
    query: '查询',
    search: '检索',
    noHits: '没有结果。',
    noFeedback: '此知识库的回答还没有 👎。',
    comment: '评论：{comment}',
    notAllowed: '你无权管理此知识库。',
  },
});

const enc = encodeURIComponent;
const TABS = ['settings', 'chunks', 'search', 'feedback'];
const TAB_LABELS = { settings: 'tabSettings', chunks: 'tabChunks', search: 'tabSearch', feedback: 'tabFeedback' };

function labeled(text, control) {
  const label = el('label', 'stacked');
  label.append(el('span', '', text), control);
  return label;
}

function settingsPanel(kb, info, onDeleted) {
  const panel = el('div', 'admin-panel');
  const form = el('form', 'admin-form');
  const description = el('textarea');
  description.rows = 3;
  description.value = info.description ?? '';
  const visibility = el('select');
  for (const v of ['public', 'restricted', 'private']) {
    visibility.append(new Option(t(`vis${v[0].toUpperCase()}${v.slice(1)}`), v));
  }
  visibility.value = info.visibility;
  const note = el('p', 'muted');
  note.setAttribute('role', 'status');
  const save = el('button', '', t('save'));
  save.type = 'submit';
  form.append(labeled(t('description'), description), labeled(t('visibility'), visibility), save, note);
  form.onsubmit = async (e) => {
    e.preventDefault();
    try {
      await api(`/api/kb/${enc(kb)}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ description: description.value, visibility: visibility.value }),
      });
      note.textContent = t('saved');
    } catch (err) {
      note.textContent = err.message;
    }
  };
  const reindex = el('button', 'secondary', t('reindex'));
  reindex.type = 'button';
  const reindexNote = el('p', 'muted');
  reindexNote.setAttribute('role', 'status');
  reindex.onclick = async () => {
    reindex.disabled = true;
    try {
      const { events } = await api(`/api/kb/${enc(kb)}/reindex`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      await readSse(await fetch(events, { headers: headers() }), (event) => {
        const p = event.progress;
        if (event.type === 'progress') reindexNote.textContent = t('reindexing', { done: p.filesDone, total: p.filesTotal });
        else if (event.type === 'done' && event.summary)
          reindexNote.textContent = t('reindexDone', {
            ingested: event.summary.ingested.length,
            failed: event.summary.failed.length,
          });
      });
    } catch (err) {
      reindexNote.textContent = err.message;
    }
    reindex.disabled = false;
  };
  const remove = el('button', 'danger', t('deleteKb'));
  remove.type = 'button';
  remove.onclick = async () => {
    if (!confirm(t('deleteKbConfirm', { kb }))) return;
    try {
      await api(`/api/kb/${enc(kb)}`, { method: 'DELETE' });
      onDeleted();
    } catch (err) {
      reindexNote.textContent = err.message;
    }
  };
  const actions = el('div', 'admin-actions');
  actions.append(reindex, remove);
  panel.append(form, actions, reindexNote);
  return panel;
}

function chunksPanel(kb, files) {
  const panel = el('div', 'admin-panel');
  const select = el('select');
  select.id = 'chunk-file';
  for (const f of files) select.append(new Option(`${f.name} (${f.chunks})`, f.name));
  const list = el('ol', 'chunk-list');
  const pager = el('div', 'pager');
  let offset = 0;
  const size = 10;
  const load = async () => {
    list.textContent = '';
    pager.textContent = '';
    if (!select.value) return list.append(el('li', 'muted', t('noFilesYet')));
    const page = await api(`/api/kb/${enc(kb)}/files/${enc(select.value)}/chunks?offset=${offset}&limit=${size}`);
    if (page.chunks.length === 0) list.append(el('li', 'muted', t('noChunks')));
    list.start = offset + 1;
    for (const c of page.chunks) {
      const item = el('li', 'chunk');
      const where = [t('chunkOf', { n: c.ordinal + 1, total: page.total })];
      if (c.page) where.push(t('page', { page: c.page }));
      if (c.heading) where.push(c.heading);
      if (c.sheet) where.push(c.sheet);
      item.append(el('div', 'chunk-where muted', where.join(' · ')), el('div', 'chunk-text', c.text));
      list.append(item);
    }
    const prev = el('button', 'secondary', t('previous'));
    const next = el('button', 'secondary', t('next'));
    prev.type = next.type = 'button';
    prev.disabled = offset === 0;
    next.disabled = offset + size >= page.total;
    prev.onclick = () => {
      offset = Math.max(0, offset - size);
      load();
    };
    next.onclick = () => {
      offset += size;
      load();
    };
    pager.append(
      prev,
      el('span', 'muted', t('pageOf', { page: offset / size + 1, pages: Math.max(1, Math.ceil(page.total / size)) })),
      next,
    );
  };
  select.onchange = () => {
    offset = 0;
    load();
  };
  panel.append(labeled(t('file'), select), list, pager);
  load();
  return panel;
}

/** Opens the management dialog for `kb`; onChange runs after a delete (the panel reloads its lists). */
export async function openKbAdmin(kb, { onDeleted }) {
  const dialog = $('kb-admin');
  dialog.textContent = '';
  const head = el('div', 'dialog-head');
  const title = el('h2', '', t('manageKb', { kb }));
  title.id = 'kb-admin-title';
  const close = el('button', 'icon secondary', '✕');
  close.type = 'button';
  close.setAttribute('aria-label', t('close'));
  close.onclick = () => dialog.close();
  head.append(title, close);
  const { kbs } = await api('/api/kb');
  const info = kbs.find((k) => k.name === kb);
  if (!info) return;
  const { files } = await api(`/api/kb/${enc(kb)}/files`);
  const tabs = el('div', 'tabs');
  tabs.setAttribute('role', 'tablist');
  const body = el('div', 'tab-body');
  body.setAttribute('role', 'tabpanel');
  const show = async (name) => {
    for (const b of tabs.children) b.setAttribute('aria-selected', String(b.dataset.tab === name));
    body.setAttribute('aria-label', t(TAB_LABELS[name]));
    const panel =
      name === 'settings'
        ? settingsPanel(kb, info, () => {
            dialog.close();
            onDeleted();
          })
        : name === 'chunks'
          ? chunksPanel(kb, files)
          : name === 'search'
            ? searchPanel(kb)
            : await feedbackPanel(kb);
    body.replaceChildren(panel);
  };
  for (const name of TABS) {
    const b = el('button', 'tab', t(TAB_LABELS[name]));
    b.type = 'button';
    b.setAttribute('role', 'tab');
    b.dataset.tab = name;
    b.onclick = () => show(name);
    tabs.append(b);
  }
  dialog.append(head, tabs, body);
  await show('settings');
  if (!dialog.open) dialog.showModal();
}
