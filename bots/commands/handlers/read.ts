import type { ChunkMeta } from '../../../core/chunk.js';
import type { SearchHit } from '../../../core/kb-service.js';
import { channelKeyOf } from '../../runtime/conversation-key.js';
import { namedKbs, resolveKb, visibleKbs } from '../../runtime/kb-access.js';
import { kbUsedHere } from '../../runtime/route.js';
import type { Services } from '../../runtime/services.js';
import { type CommandEvent, type Handler, say } from './types.js';

const MAX_FILES_LISTED = 50;
const SNIPPET_CHARS = 280;

export const list: Handler<'list'> = async (svc, ev, reply) => {
  const bound = svc.bindings.boundKb(channelKeyOf(ev));
  const kbs = visibleKbs(svc, ev);
  const lines = kbs.map((kb) => {
    const files = svc.kb.listFiles(kb.name).length;
    const lock = kb.visibility === 'restricted' ? ' 🔒' : '';
    const description = kb.description ? ` — ${kb.description}` : '';
    return `• **${kb.name}**${lock}${description} · ${files} file${files === 1 ? '' : 's'}${kb.name === bound ? ' · _used here_' : ''}`;
  });
  if (!lines.length) lines.push('No knowledge bases are available here yet. An admin can add one with `/kb create <kb>`.');
  const hidden = svc.permissions.isAdmin(ev) ? namedKbs(svc).filter((kb) => !kbs.includes(kb)) : [];
  if (hidden.length) lines.push(`_Restricted to other channels (shown to admins):_ ${hidden.map((kb) => kb.name).join(', ')}`);
  await say(reply, [`**Knowledge bases** (${kbs.length})`, ...lines].join('\n'));
};

export const files: Handler<'files'> = async (svc, ev, reply, cmd) => {
  const kb = resolveKb(svc, ev, cmd.kb, 'read');
  const all = svc.kb.listFiles(kb.name);
  const lines = all.slice(0, MAX_FILES_LISTED).map((f) => {
    if (f.status === 'failed') return `• ${f.name} — ❌ failed: ${f.error ?? 'unknown reason'}`;
    if (f.status === 'pending') return `• ${f.name} — ⏳ pending`;
    return `• ${f.name} — ${f.chunks} chunks`;
  });
  if (all.length > MAX_FILES_LISTED) lines.push(`…and ${all.length - MAX_FILES_LISTED} more`);
  if (!all.length) lines.push(`No files yet. An admin can add some with \`/kb upload ${kb.name}\` and attachments.`);
  await say(reply, [`**Files in ${kb.name}** (${all.length})`, ...lines].join('\n'));
};

function locationOf(meta: ChunkMeta): string {
  const where = [
    meta.page !== undefined ? `p.${meta.page}` : '',
    meta.slide !== undefined ? `slide ${meta.slide}` : '',
    meta.sheet ? `sheet ${meta.sheet}` : '',
    meta.row !== undefined
      ? `row ${meta.row}${meta.rowEnd !== undefined && meta.rowEnd !== meta.row ? `–${meta.rowEnd}` : ''}`
      : '',
    meta.heading ? `§ ${meta.heading}` : '',
  ].filter(Boolean);
  return where.length ? ` ${where.join(', ')}` : '';
}

function hitLines(hit: SearchHit, n: number, manyKbs: boolean): string[] {
  const snippet = hit.chunk.text.replace(/\s+/g, ' ').trim();
  const shown = snippet.length > SNIPPET_CHARS ? `${snippet.slice(0, SNIPPET_CHARS)}…` : snippet;
  const kb = manyKbs ? ` · ${hit.kb}` : '';
  return [`${n}. **${hit.chunk.meta.source}**${locationOf(hit.chunk.meta)}${kb} · score ${hit.score.toFixed(2)}`, `> ${shown}`];
}

/** The KB named, else the one answering here, else every KB visible here. */
function searchScope(svc: Services, ev: CommandEvent, named: string | undefined): string[] {
  if (named) return [resolveKb(svc, ev, named, 'read').name];
  const used = kbUsedHere(svc, ev);
  return used ? [used.kb] : visibleKbs(svc, ev).map((kb) => kb.name);
}

export const search: Handler<'search'> = async (svc, ev, reply, cmd) => {
  svc.rateLimiter.take(ev);
  const kbs = searchScope(svc, ev, cmd.kb);
  if (!kbs.length) {
    await say(reply, 'There is no knowledge base to search here. `/kb list` shows what exists.');
    return;
  }
  const hits = await svc.kb.search(kbs, cmd.query);
  const scope = kbs.length === 1 ? kbs[0] : `${kbs.length} knowledge bases`;
  if (!hits.length) {
    await say(reply, `No passages in **${scope}** match “${cmd.query}”.`);
    return;
  }
  const lines = hits.flatMap((hit, i) => hitLines(hit, i + 1, kbs.length > 1));
  await say(reply, [`**Passages for** “${cmd.query}” in **${scope}** (higher score = closer match)`, ...lines].join('\n'));
};
