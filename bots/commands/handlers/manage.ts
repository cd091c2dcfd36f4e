import { randomBytes } from 'node:crypto';
import type { Reply } from '../../../core/chat.js';
import { TeamKbError } from '../../../core/errors.js';
import { actorOf, channelKeyOf } from '../../runtime/conversation-key.js';
import { downloadAttachments, runIngestJob } from '../../runtime/ingest-job.js';
import { formatSummary } from '../../runtime/ingest-summary.js';
import { namedKbs, resolveKb } from '../../runtime/kb-access.js';
import type { Services } from '../../runtime/services.js';
import { isTempKbName, TEMP_KB_PREFIX } from '../kb-name.js';
import { type Handler, say } from './types.js';

export const create: Handler<'create'> = async (svc, ev, reply, cmd) => {
  svc.permissions.requireAdmin(ev, 'create knowledge bases');
  if (isTempKbName(cmd.kb)) {
    throw new TeamKbError('KB_NAME_INVALID', `Names starting with "${TEMP_KB_PREFIX}" are reserved for files shared in chats.`);
  }
  await svc.kb.createKb(cmd.kb, {
    description: cmd.description ?? '',
    createdBy: actorOf(ev),
    visibility: cmd.private ? 'restricted' : 'public',
  });
  if (cmd.private) svc.bindings.bind(channelKeyOf(ev), cmd.kb, actorOf(ev), svc.now());
  const scope = cmd.private ? 'restricted to this channel, and used here' : 'public';
  await say(reply, `Created knowledge base **${cmd.kb}** (${scope}). Add files with \`/kb upload ${cmd.kb}\` and attachments.`);
};

export const upload: Handler<'upload'> = async (svc, ev, reply, cmd) => {
  const kb = resolveKb(svc, ev, cmd.kb, 'upload', `upload files to "${cmd.kb}"`);
  if (!ev.attachments.length) {
    throw new TeamKbError('INVALID_INPUT', `Attach one or more files to \`/kb upload ${kb.name}\`.`);
  }
  const { uploads, failures } = await downloadAttachments(ev.attachments, svc);
  const summary = await runIngestJob(svc, reply, {
    kb: kb.name,
    filesTotal: uploads.length,
    earlierFailures: failures,
    run: (opts) => svc.kb.ingestUploads(kb.name, uploads, opts),
  });
  await say(reply, formatSummary(`Upload to ${kb.name} finished`, summary));
};

export const remove: Handler<'remove'> = async (svc, ev, reply, cmd) => {
  const kb = resolveKb(svc, ev, cmd.kb, 'upload', `remove files from "${cmd.kb}"`);
  if (!svc.kb.listFiles(kb.name).some((f) => f.name === cmd.file)) {
    throw new TeamKbError('FILE_NOT_FOUND', `No file "${cmd.file}" in **${kb.name}**. \`/kb files ${kb.name}\` lists them.`);
  }
  const chunks = await svc.kb.removeFile(kb.name, cmd.file);
  await say(reply, `Removed **${cmd.file}** from **${kb.name}** (${chunks} chunks).`);
};

export const reindex: Handler<'reindex'> = async (svc, ev, reply, cmd) => {
  const kb = resolveKb(svc, ev, cmd.kb, 'upload', `reindex "${cmd.kb}"`);
  const summary = await runIngestJob(svc, reply, {
    kb: kb.name,
    filesTotal: svc.kb.listFiles(kb.name).length,
    run: (opts) => svc.kb.reindex(kb.name, opts),
  });
  await say(reply, formatSummary(`Reindex of ${kb.name} finished`, summary));
};

/**
 * Cancels a job still waiting for a worker, named by its id or the start of it (`/kb status` shows
 * eight characters), for whoever may add files to its KB.
 */
export const cancel: Handler<'cancel'> = async (svc, ev, reply, cmd) => {
  const wanted = cmd.job.trim().toLowerCase();
  const matches = svc.kb.listJobs().filter((j) => j.id === wanted || (wanted.length >= 4 && j.id.startsWith(wanted)));
  const [job] = matches;
  // A file chat's job reads one conversation's files; /kb status does not name its KB either.
  if (!job || isTempKbName(job.kb)) {
    throw new TeamKbError('JOB_NOT_FOUND', `No job "${cmd.job}". \`/kb status\` lists the jobs waiting or running.`);
  }
  if (matches.length > 1) throw new TeamKbError('INVALID_INPUT', `Several jobs start with "${cmd.job}"; give more of the id.`);
  resolveKb(svc, ev, job.kb, 'upload', `cancel jobs of "${job.kb}"`);
  await svc.kb.cancelJob(job.id);
  await say(reply, `Cancelled job ${job.id.slice(0, 8)} on **${job.kb}**: its files will not be added.`);
};

/** Deletes a KB and every channel binding to it. */
export async function deleteKbNow(svc: Services, name: string, reply: Reply): Promise<void> {
  if (!namedKbs(svc).some((kb) => kb.name === name)) {
    await say(reply, `Knowledge base **${name}** no longer exists.`);
    return;
  }
  await svc.kb.deleteKb(name);
  svc.bindings.removeKb(name);
  await say(reply, `Deleted knowledge base **${name}**.`);
}

export const del: Handler<'delete'> = async (svc, ev, reply, cmd) => {
  const kb = resolveKb(svc, ev, cmd.kb, 'manage', `delete "${cmd.kb}"`);
  // From the web console a stray or forged request must not delete at once: only an admin API key skips the button.
  const web = ev.principal !== undefined;
  if (cmd.yes && (!web || ev.principal?.kind === 'key')) {
    await deleteKbNow(svc, kb.name, reply);
    return;
  }
  const token = `delete:${randomBytes(12).toString('base64url')}`;
  const expiresAt = svc.now() + svc.config.confirmTtlMinutes * 60_000;
  svc.confirmations.add({ token, action: 'delete-kb', kb: kb.name, platform: ev.platform, user: ev.user, expiresAt });
  const files = svc.kb.listFiles(kb.name).length;
  await reply.write({
    type: 'buttons',
    markdown: `Delete knowledge base **${kb.name}** and its ${files} file${files === 1 ? '' : 's'}? This cannot be undone.`,
    buttons: [
      { label: 'Delete', action: 'confirm', value: token, style: 'danger' },
      { label: 'Cancel', action: 'cancel', value: token },
    ],
  });
};
