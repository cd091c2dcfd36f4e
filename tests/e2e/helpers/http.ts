/** Parsed JSON of a test response, read field by field in assertions. */
// biome-ignore lint/suspicious/noExplicitAny: responses are checked by the assertions that read them
export type Json = any;

export interface SseEvent {
  event?: string;
  data: string;
}

/** Parses a server-sent event stream from a fetch response, event by event. */
export async function* readSse(res: Response): AsyncGenerator<SseEvent> {
  if (!res.body) return;
  const decoder = new TextDecoder();
  let buffer = '';
  const reader = res.body.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    buffer += decoder.decode(read.value, { stream: true });
    let cut = buffer.indexOf('\n\n');
    while (cut >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const lines = block.split('\n');
      const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
      const data = lines
        .filter((l) => l.startsWith('data: '))
        .map((l) => l.slice(6))
        .join('\n');
      if (data) yield { event, data };
      cut = buffer.indexOf('\n\n');
    }
  }
}

/** JSON request against the test server; returns status and parsed body (null when empty). */
export async function call(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** Uploads files as multipart/form-data (field "files"), as a browser form would. */
export async function upload(base: string, kb: string, files: Array<{ name: string; bytes: Uint8Array | string }>) {
  const form = new FormData();
  for (const f of files) form.append('files', new Blob([typeof f.bytes === 'string' ? f.bytes : Buffer.from(f.bytes)]), f.name);
  const res = await fetch(`${base}/api/kb/${encodeURIComponent(kb)}/files`, { method: 'POST', body: form });
  return { status: res.status, body: (await res.json()) as Json };
}

/** Follows a job's SSE progress stream to its end; returns every event's parsed data. */
export async function followJob(base: string, eventsPath: string): Promise<Array<{ type: string; [key: string]: Json }>> {
  const res = await fetch(`${base}${eventsPath}`);
  if (!res.ok) throw new Error(`job events: HTTP ${res.status}`);
  const events: Array<{ type: string; [key: string]: Json }> = [];
  for await (const e of readSse(res)) events.push(JSON.parse(e.data));
  return events;
}

/** Creates a KB and ingests the given files, waiting for the job to finish; returns the summary. */
export async function createKbWithFiles(base: string, kb: string, files: Array<{ name: string; bytes: Uint8Array | string }>) {
  const created = await call(base, 'POST', '/api/kb', { name: kb });
  if (created.status !== 201) throw new Error(`create ${kb}: ${JSON.stringify(created.body)}`);
  const accepted = await upload(base, kb, files);
  if (accepted.status !== 202) throw new Error(`upload to ${kb}: ${JSON.stringify(accepted.body)}`);
  const events = await followJob(base, accepted.body.events);
  const done = events.find((e) => e.type === 'done');
  if (!done) throw new Error(`ingest into ${kb} did not finish: ${JSON.stringify(events)}`);
  return done.summary;
}
