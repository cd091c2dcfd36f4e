import { type Json, readSse } from './http.js';

/** One reply part as the conversation routes stream it: the SSE event name and its parsed data. */
export interface StreamedPart {
  event: string;
  data: Json;
}

async function collect(res: Response): Promise<{ status: number; parts: StreamedPart[]; body?: Json }> {
  if (!res.headers.get('content-type')?.startsWith('text/event-stream')) {
    return { status: res.status, parts: [], body: await res.json() };
  }
  const parts: StreamedPart[] = [];
  for await (const e of readSse(res)) parts.push({ event: e.event ?? '', data: JSON.parse(e.data) });
  return { status: res.status, parts };
}

/** Posts a message (multipart when files are given) to a conversation and reads the whole reply. */
export async function sendMessage(
  base: string,
  conversation: string,
  text: string,
  files: Array<{ name: string; bytes: string | Uint8Array }> = [],
  /** The model picked for the conversation with this message (the web chat's picker). */
  model?: string,
) {
  const url = `${base}/api/conversations/${encodeURIComponent(conversation)}/messages`;
  if (files.length === 0) {
    return collect(
      await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text, model }),
      }),
    );
  }
  const form = new FormData();
  form.append('text', text);
  if (model) form.append('model', model);
  for (const f of files) form.append('files', new Blob([typeof f.bytes === 'string' ? f.bytes : Buffer.from(f.bytes)]), f.name);
  return collect(await fetch(url, { method: 'POST', body: form }));
}

/** Presses a reply button (confirm, cancel, feedback) in a conversation and reads the reply. */
export async function pressButton(base: string, conversation: string, action: string, value: string) {
  const url = `${base}/api/conversations/${encodeURIComponent(conversation)}/actions`;
  return collect(
    await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ action, value }),
    }),
  );
}

/** The markdown of every `message` part, joined. */
export const messagesOf = (parts: StreamedPart[]): string =>
  parts
    .filter((p) => p.event === 'message')
    .map((p) => p.data.markdown as string)
    .join('\n');
