const $ = (id) => document.getElementById(id);
const history = [];
let controller = null;

const headers = (extra = {}) => {
  const key = localStorage.getItem('teamkb-api-key');
  return key ? { ...extra, authorization: `Bearer ${key}` } : extra;
};

async function api(path, options = {}) {
  const res = await fetch(path, { ...options, headers: headers(options.headers) });
  if (!res.ok) {
    const body = await res.json().catch(() => ({}));
    throw Object.assign(new Error(body.error?.message ?? `${res.status} ${res.statusText}`), { status: res.status });
  }
  return res.status === 204 ? null : res.json();
}

/** Reads a server-sent event stream and calls onEvent(data) for each JSON event. */
async function readSse(res, onEvent) {
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let cut = buffer.indexOf('\n\n');
    while (cut >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const data = block
        .split('\n')
        .filter((l) => l.startsWith('data: '))
        .map((l) => l.slice(6))
        .join('\n');
      if (data) onEvent(JSON.parse(data));
      cut = buffer.indexOf('\n\n');
    }
  }
}

/** Citation links come from documents and web results: only web and same-site addresses become links. */
function safeHref(url) {
  if (!url) return '#';
  try {
    const parsed = new URL(url, location.href);
    if (parsed.origin === location.origin) return `${parsed.pathname}${parsed.search}${parsed.hash}`;
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : '#';
  } catch {
    return '#';
  }
}

/** Cuts text at a word boundary near `max` characters, with an ellipsis. */
function shorten(text, max) {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${space > max / 2 ? cut.slice(0, space) : cut}…`;
}

function el(tag, cls, text) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined) node.textContent = text;
  return node;
}

function renderAnswer(body, text, citations) {
  body.textContent = '';
  const byN = new Map(citations.map((c) => [c.n, c]));
  for (const piece of text.split(/(\[\d{1,3}\])/)) {
    const m = piece.match(/^\[(\d{1,3})\]$/);
    if (m && byN.has(Number(m[1]))) {
      const c = byN.get(Number(m[1]));
      const link = el('a', 'cite', `[${c.n}]`);
      link.href = safeHref(c.url);
      link.target = '_blank';
      link.title = c.snippet;
      body.append(link);
    } else body.append(document.createTextNode(piece));
  }
}

async function ask(question) {
  const mode = $('mode').value;
  const kb = $('kb-select').value;
  const box = el('div', 'msg');
  $('messages').append(el('div', 'msg user', question), box);
  const status = el('div', 'status', 'Thinking…');
  const body = el('div', 'answer');
  const list = el('ol', 'citations');
  box.append(status, body, list);
  controller = new AbortController();
  $('stop').hidden = false;
  let text = '';
  const citations = [];
  try {
    const res = await fetch('/api/chat', {
      method: 'POST',
      headers: headers({ 'content-type': 'application/json' }),
      body: JSON.stringify({
        mode,
        question,
        kbs: mode === 'kb' && kb ? [kb] : undefined,
        history,
        model: $('model-select').value || undefined,
      }),
      signal: controller.signal,
    });
    if (!res.ok) throw new Error((await res.json()).error?.message ?? res.statusText);
    await readSse(res, (part) => {
      if (part.type === 'status') status.textContent = part.text;
      else if (part.type === 'text') {
        text += part.text;
        body.textContent = text;
      } else if (part.type === 'citation') citations.push(part.citation);
      else if (part.type === 'error') status.replaceWith(el('div', 'error', `${part.message}`));
      else if (part.type === 'done') {
        status.textContent = part.answer.sources.length ? `Sources: ${part.answer.sources.join(', ')}` : '';
        status.className = 'sources';
        box.append(status);
        renderAnswer(body, part.answer.markdown, part.answer.citations);
        for (const c of part.answer.citations) {
          const item = el('li');
          const link = el('a', '', `${c.file}${c.page ? ` p.${c.page}` : ''}${c.section ? ` — ${c.section}` : ''}`);
          link.href = safeHref(c.url);
          link.target = '_blank';
          item.append(link, el('div', 'muted', shorten(c.snippet, 160)));
          list.append(item);
        }
        history.push({ role: 'user', content: question }, { role: 'assistant', content: part.answer.markdown });
      }
      $('messages').scrollTop = $('messages').scrollHeight;
    });
  } catch (err) {
    if (err.name !== 'AbortError') status.replaceWith(el('div', 'error', err.message));
    else status.textContent = 'Stopped.';
  } finally {
    $('stop').hidden = true;
    controller = null;
  }
}

async function loadKbs(selected = undefined) {
  const { kbs } = await api('/api/kb');
  const select = $('kb-select');
  const current = selected ?? select.value;
  select.textContent = '';
  for (const kb of kbs) select.append(new Option(kb.name, kb.name));
  if (current && kbs.some((kb) => kb.name === current)) select.value = current;
  await loadFiles();
}

async function loadFiles() {
  const kb = $('kb-select').value;
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
  const kb = $('kb-select').value;
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
  $('ask-form').onsubmit = (e) => {
    e.preventDefault();
    const q = $('question').value.trim();
    if (!q || controller) return;
    $('question').value = '';
    ask(q);
  };
  $('question').onkeydown = (e) => {
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      $('ask-form').requestSubmit();
    }
  };
  $('stop').onclick = () => controller?.abort();
  $('reset').onclick = () => {
    history.length = 0;
    $('messages').textContent = '';
  };
  $('kb-select').onchange = loadFiles;
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

init();
