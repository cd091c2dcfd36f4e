import { initChat } from './chat.js';
import { initPassagePanel } from './passage-panel.js';
import { $, api, el, headers, readSse } from './util.js';

/** The chat's KB picker and the side panel's show the same knowledge base. */
async function selectKb(name) {
  $('kb-select').value = name;
  $('panel-kb').value = name;
  await loadFiles();
}

async function loadKbs(selected = undefined) {
  const { kbs } = await api('/api/kb');
  const current = selected ?? $('panel-kb').value;
  for (const select of [$('kb-select'), $('panel-kb')]) {
    select.textContent = '';
    for (const kb of kbs) select.append(new Option(kb.name, kb.name));
  }
  const keep = current && kbs.some((kb) => kb.name === current) ? current : (kbs[0]?.name ?? '');
  await selectKb(keep);
}

async function loadFiles() {
  const kb = $('panel-kb').value;
  const box = $('kb-files');
  box.textContent = '';
  if (!kb) return box.append(el('p', 'muted', 'No knowledge base yet: create one above.'));
  const { files } = await api(`/api/kb/${encodeURIComponent(kb)}/files`);
  if (files.length === 0) box.append(el('p', 'muted', 'No files yet.'));
  for (const f of files) {
    const row = el('div', 'file');
    const state = f.status === 'ready' ? `${f.chunks} ${f.chunks === 1 ? 'chunk' : 'chunks'}` : f.status;
    const name = el('a', f.status === 'failed' ? 'bad' : '', `${f.name} (${state})`);
    name.href = `/api/kb/${encodeURIComponent(kb)}/files/${encodeURIComponent(f.name)}/download`;
    if (f.error) name.title = f.error;
    const del = el('button', 'secondary', 'Delete');
    del.type = 'button';
    del.onclick = async () => {
      if (!confirm(`Remove ${f.name}?`)) return;
      await api(`/api/kb/${encodeURIComponent(kb)}/files/${encodeURIComponent(f.name)}`, { method: 'DELETE' });
      loadFiles();
    };
    row.append(name, del);
    box.append(row);
  }
}

async function upload() {
  const kb = $('panel-kb').value;
  const files = $('upload').files;
  if (!kb || files.length === 0) return;
  const form = new FormData();
  for (const f of files) form.append('files', f, f.name);
  const progress = $('progress');
  progress.textContent = 'Uploading…';
  try {
    const { events } = await api(`/api/kb/${encodeURIComponent(kb)}/files`, { method: 'POST', body: form });
    const res = await fetch(events, { headers: headers() });
    await readSse(res, (event) => {
      if (event.type === 'progress') {
        const p = event.progress;
        progress.textContent = `Ingesting ${p.filesDone}/${p.filesTotal} files, ${p.chunksDone} chunks${p.currentFile ? ` — ${p.currentFile}` : ''}`;
      } else if (event.type === 'done' && !event.summary) {
        progress.textContent = `Job ${event.status ?? 'finished'}.`;
      } else if (event.type === 'done') {
        const s = event.summary;
        const failed = s.failed.map((f) => (f.reason.startsWith(f.file) ? f.reason : `${f.file}: ${f.reason}`)).join('; ');
        progress.textContent = `Done: ${s.ingested.length} ingested, ${s.unchanged.length} unchanged, ${s.failed.length} failed${failed ? ` (${failed})` : ''}.`;
      } else if (event.type === 'error') progress.textContent = `Failed: ${event.message}`;
    });
    $('upload').value = '';
  } catch (err) {
    progress.textContent = err.message;
  }
  loadFiles();
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
  } catch (err) {
    $('status').textContent = err.message;
    if (err.status === 401) $('api-key').closest('details').open = true;
  }
}

async function init() {
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
  initChat();
  initPassagePanel();
  $('kb-select').onchange = () => selectKb($('kb-select').value);
  $('panel-kb').onchange = () => selectKb($('panel-kb').value);
  $('create-form').onsubmit = async (e) => {
    e.preventDefault();
    try {
      const created = await api('/api/kb', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: $('new-kb').value }),
      });
      $('new-kb').value = '';
      await loadKbs(created.name);
    } catch (err) {
      alert(err.message);
    }
  };
  $('upload-form').onsubmit = (e) => {
    e.preventDefault();
    upload();
  };
  await loadAll();
}

init();
