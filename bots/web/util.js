export const $ = (id) => document.getElementById(id);

export const headers = (extra = {}) => {
  const key = localStorage.getItem('teamkb-api-key');
  return key ? { ...extra, authorization: `Bearer ${key}` } : extra;
};

export async function api(path, options = {}) {
  const res = await fetch(path, { ...options, headers: headers(options.headers) });
  if (!res.ok) {
    const body = await res.json().catch(() => ({}));
    throw Object.assign(new Error(body.error?.message ?? `${res.status} ${res.statusText}`), { status: res.status });
  }
  return res.status === 204 ? null : res.json();
}

/** Reads a server-sent event stream and calls onEvent(data) for each JSON event. */
export async function readSse(res, onEvent) {
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
export function safeHref(url) {
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
export function shorten(text, max) {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${space > max / 2 ? cut.slice(0, space) : cut}…`;
}

export function el(tag, cls, text) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * Mostly-Chinese text gets lang="zh-CN", so the browser picks Simplified Chinese glyphs and the
 * Chinese font stack; an English answer that quotes a few Chinese words keeps the Latin one.
 */
export function langOf(text) {
  const han = text.match(/[\u3400-\u9fff\uf900-\ufaff]/g)?.length ?? 0;
  const latin = text.match(/[A-Za-z]/g)?.length ?? 0;
  return han > 0 && han >= latin / 4 ? 'zh-CN' : '';
}
