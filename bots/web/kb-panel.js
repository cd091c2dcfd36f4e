/**
 * The knowledge-base side panel: create (name checked as it is typed, with the server's rule and
 * words), the files of the picked KB (status, chunks, size, errors; filter and pages), uploads
 * with per-file progress from the job's events.
 */
import { addMessages, t } from './i18n.js';
import { $, api, el, headers, readSse } from './util.js';

addMessages({
  en: {
    filterFiles: 'Filter files',
    pageOf: 'Page {page} of {pages}',
    previous: 'Previous',
    next: 'Next',
    filesCount: '{n} files',
    uploading: 'Uploading… {pct}%',
    queued: 'waiting',
    indexing: 'indexing…',
    ingested: 'done',
    unchanged: 'unchanged',
    failedFile: 'failed: {reason}',
    jobDone: 'Done: {ingested} ingested, {unchanged} unchanged, {failed} failed.',
  },
  zh: {
    filterFiles: '筛选文件',
    pageOf: '第 {page} / {pages} 页',
    previous: '上一页',
    next: '下一页',
    filesCount: '{n} 个文件',
    uploading: '上传中… {pct}%',
    queued: '等待中',
    indexing: '索引中…',
    ingested: '完成',
    unchanged: '未变化',
    failedFile: '失败：{reason}',
    jobDone: '完成：{ingested} 个已导入，{unchanged} 个未变化，{failed} 个失败。',
  },
});

const PAGE_SIZE = 20;
let checkTimer = 0;

export const formatSize = (bytes) =>
  bytes < 1024 ? `${bytes} B` : bytes < 1048576 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1048576).toFixed(1)} MB`;

function fileRow(kb, f) {
  const row = el('div', 'file');
  const state = f.status === 'ready' ? (f.chunks === 1 ? t('oneChunk') : t('chunks', { n: f.chunks })) : f.status;
  const name = el('a', f.status === 'failed' ? 'bad' : '', `${f.name} (${state})`);
  name.href = `/api/kb/${encodeURIComponent(kb)}/files/${encodeURIComponent(f.name)}/download`;
  if (f.error) name.title = f.error;
  const info = el('span', 'file-info');
  info.append(name, el('span', 'muted file-size', formatSize(f.size)));
  if (f.error) info.append(el('span', 'file-error', f.error));
  const del = el('button', 'secondary', t('delete'));
  del.type = 'button';
  del.setAttribute('aria-label', `${t('delete')}: ${f.name}`);
  del.onclick = async () => {
    if (!confirm(t('removeFile', { file: f.name }))) return;
    await api(`/api/kb/${encodeURIComponent(kb)}/files/${encodeURIComponent(f.name)}`, { method: 'DELETE' });
    loadFiles();
  };
  row.append(info, del);
  return row;
}

/** The file list's filter and page; the server filters and pages, so a KB of thousands of files loads fast. */
const view = { kb: '', q: '', page: 0 };
let filterTimer = 0;
/** Only the newest request's answer is shown (typing in the filter sends several). */
let latestLoad = 0;

function pagerFor(total) {
  const pager = el('div', 'pager');
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  if (pages <= 1) {
    pager.append(el('span', 'muted', t('filesCount', { n: total })));
    return pager;
  }
  const prev = el('button', 'secondary', t('previous'));
  const next = el('button', 'secondary', t('next'));
  prev.type = next.type = 'button';
  prev.disabled = view.page === 0;
  next.disabled = view.page >= pages - 1;
  prev.onclick = () => {
    view.page -= 1;
    loadFiles();
  };
  next.onclick = () => {
    view.page += 1;
    loadFiles();
  };
  pager.append(prev, el('span', 'muted', t('pageOf', { page: view.page + 1, pages })), next);
  return pager;
}

/** The filter box stays while pages and matches change, so typing in it is never interrupted. */
function filterBox(box) {
  let filter = box.querySelector('.file-filter');
  if (filter) return filter;
  filter = el('input', 'file-filter');
  filter.type = 'search';
  filter.value = view.q;
  filter.oninput = () => {
    clearTimeout(filterTimer);
    filterTimer = setTimeout(() => {
      view.q = filter.value.trim();
      view.page = 0;
      loadFiles();
    }, 150);
  };
  box.replaceChildren(filter, el('div', 'file-list'), el('div', 'pager'));
  return filter;
}

function renderFiles(kb, files, total) {
  const box = $('kb-files');
  if (!kb) return box.replaceChildren(el('p', 'muted', t('noKbYet')));
  if (total === 0 && !view.q) return box.replaceChildren(el('p', 'muted', t('noFilesYet')));
  const filter = filterBox(box);
  filter.placeholder = t('filterFiles');
  filter.setAttribute('aria-label', t('filterFiles'));
  box.querySelector('.file-list').replaceChildren(...files.map((f) => fileRow(kb, f)));
  box.querySelector('.pager').replaceWith(pagerFor(total));
}

export async function loadFiles() {
  const kb = $('panel-kb').value;
  if (kb !== view.kb) {
    Object.assign(view, { kb, q: '', page: 0 });
    $('kb-files').textContent = '';
  }
  const load = ++latestLoad;
  if (!kb) return renderFiles(kb, [], 0);
  const query = (page) =>
    `/api/kb/${encodeURIComponent(kb)}/files?offset=${page * PAGE_SIZE}&limit=${PAGE_SIZE}&q=${encodeURIComponent(view.q)}`;
  let { files, total } = await api(query(view.page));
  // A page past the end (files were removed): show the last page there is.
  if (files.length === 0 && view.page > 0) {
    view.page = Math.max(0, Math.ceil(total / PAGE_SIZE) - 1);
    ({ files, total } = await api(query(view.page)));
  }
  // Another KB, page or filter was asked for while this one loaded.
  if (load !== latestLoad) return;
  renderFiles(kb, files, total);
}

/** Uploads with the browser's byte progress, resolving to the server's JSON answer. */
function sendWithProgress(url, form, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    for (const [k, v] of Object.entries(headers())) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => {
      const body = JSON.parse(xhr.responseText || '{}');
      if (xhr.status >= 400) reject(new Error(body.error?.message ?? `${xhr.status} ${xhr.statusText}`));
      else resolve(body);
    };
    xhr.onerror = () => reject(new Error('Upload failed: the server could not be reached.'));
    xhr.send(form);
  });
}

/** One line per file: its progress bar while uploading, then its state from the ingest job. */
function progressRows(list) {
  const box = $('progress');
  box.textContent = '';
  const rows = new Map();
  for (const f of list) {
    const row = el('div', 'upload-row');
    const bar = el('progress');
    bar.max = 1;
    bar.value = 0;
    bar.setAttribute('aria-label', f.name);
    const state = el('span', 'upload-state', t('queued'));
    row.append(el('span', 'upload-name', f.name), bar, state);
    box.append(row);
    rows.set(f.name, { bar, state });
  }
  return rows;
}

export async function upload() {
  const kb = $('panel-kb').value;
  const picked = [...$('upload').files];
  if (!kb || picked.length === 0) return;
  const form = new FormData();
  for (const f of picked) form.append('files', f, f.name);
  const rows = progressRows(picked);
  const summaryLine = el('div', 'upload-summary');
  $('progress').append(summaryLine);
  const setAll = (fn) => rows.forEach(fn);
  try {
    const { events } = await sendWithProgress(`/api/kb/${encodeURIComponent(kb)}/files`, form, (share) => {
      setAll((r) => {
        r.bar.value = share;
        r.state.textContent = t('uploading', { pct: Math.round(share * 100) });
      });
    });
    setAll((r) => {
      r.bar.value = 1;
      r.state.textContent = t('queued');
    });
    const res = await fetch(events, { headers: headers() });
    await readSse(res, (event) => {
      if (event.type === 'progress') {
        const current = rows.get(event.progress.currentFile);
        if (current) current.state.textContent = t('indexing');
      } else if (event.type === 'done' && event.summary) {
        const s = event.summary;
        for (const name of s.ingested) if (rows.has(name)) rows.get(name).state.textContent = t('ingested');
        for (const name of s.unchanged) if (rows.has(name)) rows.get(name).state.textContent = t('unchanged');
        for (const f of s.failed) {
          const row = rows.get(f.file);
          const reason = f.reason.startsWith(`${f.file}: `) ? f.reason.slice(f.file.length + 2) : f.reason;
          if (row) {
            row.state.textContent = t('failedFile', { reason });
            row.state.classList.add('bad');
          } else summaryLine.append(el('div', 'bad', `${f.file}: ${reason}`));
        }
        summaryLine.prepend(
          t('jobDone', { ingested: s.ingested.length, unchanged: s.unchanged.length, failed: s.failed.length }),
        );
      } else if (event.type === 'error') summaryLine.textContent = `Failed: ${event.message}`;
    });
    $('upload').value = '';
  } catch (err) {
    summaryLine.textContent = err.message;
  }
  loadFiles();
}

/** Checks the typed name with the server as it is typed; the message is the server's own. */
async function checkName() {
  const input = $('new-kb');
  const name = input.value;
  const problem = $('new-kb-problem');
  if (!name.trim()) {
    problem.textContent = '';
    input.removeAttribute('aria-invalid');
    return true;
  }
  try {
    const result = await api(`/api/kb-names/check?name=${encodeURIComponent(name)}`);
    if (input.value !== name) return false;
    problem.textContent = result.problem ?? '';
    if (result.ok) input.removeAttribute('aria-invalid');
    else input.setAttribute('aria-invalid', 'true');
    return result.ok;
  } catch (err) {
    problem.textContent = err.message;
    return false;
  }
}

export function initKbPanel({ onCreated }) {
  $('new-kb').addEventListener('input', () => {
    clearTimeout(checkTimer);
    checkTimer = setTimeout(checkName, 150);
  });
  $('create-form').onsubmit = async (e) => {
    e.preventDefault();
    try {
      const created = await api('/api/kb', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: $('new-kb').value }),
      });
      $('new-kb').value = '';
      $('new-kb-problem').textContent = '';
      $('new-kb').removeAttribute('aria-invalid');
      await onCreated(created.name);
    } catch (err) {
      $('new-kb-problem').textContent = err.message;
      $('new-kb').setAttribute('aria-invalid', 'true');
    }
  };
  $('upload-form').onsubmit = (e) => {
    e.preventDefault();
    upload();
  };
}
