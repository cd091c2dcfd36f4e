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
let files = [];
let page = 0;
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

function renderFiles() {
  const kb = $('panel-kb').value;
  const box = $('kb-files');
  box.textContent = '';
  if (!kb) return box.append(el('p', 'muted', t('noKbYet')));
  if (files.length === 0) return box.append(el('p', 'muted', t('noFilesYet')));
  const filter = el('input', 'file-filter');
  filter.type = 'search';
  filter.placeholder = t('filterFiles');
  filter.setAttribute('aria-label', t('filterFiles'));
  filter.value = box.dataset.filter ?? '';
  const list = el('div', 'file-list');
  const pager = el('div', 'pager');
  const draw = () => {
    const q = filter.value.trim().toLowerCase();
    box.dataset.filter = filter.value;
    const shown = q ? files.filter((f) => f.name.toLowerCase().includes(q) || f.status === q) : files;
    const pages = Math.max(1, Math.ceil(shown.length / PAGE_SIZE));
    page = Math.min(page, pages - 1);
    list.replaceChildren(...shown.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE).map((f) => fileRow(kb, f)));
    pager.textContent = '';
    if (pages > 1) {
      const prev = el('button', 'secondary', t('previous'));
      const next = el('button', 'secondary', t('next'));
      prev.type = next.type = 'button';
      prev.disabled = page === 0;
      next.disabled = page >= pages - 1;
      prev.onclick = () => {
        page -= 1;
        draw();
      };
      next.onclick = () => {
        page += 1;
        draw();
      };
      pager.append(prev, el('span', 'muted', t('pageOf', { page: page + 1, pages })), next);
    } else pager.append(el('span', 'muted', t('filesCount', { n: shown.length })));
  };
  filter.oninput = () => {
    page = 0;
    draw();
  };
  box.append(filter, list, pager);
  draw();
}

export async function loadFiles() {
  const kb = $('panel-kb').value;
  files = kb ? (await api(`/api/kb/${encodeURIComponent(kb)}/files`)).files : [];
  renderFiles();
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
