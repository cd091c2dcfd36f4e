import { TeamKbError } from '../../../core/errors.js';
import type { Job } from '../../../core/registry.js';
import { actorOf, channelKeyOf, conversationKeyOf } from '../../runtime/conversation-key.js';
import { conversationModel } from '../../runtime/conversation-model.js';
import { namedKbs, resolveKb } from '../../runtime/kb-access.js';
import { dropTempKb } from '../../runtime/temp-kbs.js';
import { helpText } from '../grammar.js';
import { type Handler, say } from './types.js';

const JOB_LABEL: Record<Job['kind'], string> = { ingest: 'upload to', reindex: 'reindex of', recreate: 'rebuild of' };

export const help: Handler<'help'> = async (_svc, _ev, reply) => {
  await say(reply, helpText());
};

export const use: Handler<'use'> = async (svc, ev, reply, cmd) => {
  const kb = resolveKb(svc, ev, cmd.kb, 'bind');
  svc.bindings.bind(channelKeyOf(ev), kb.name, actorOf(ev), svc.now());
  const restricted = kb.visibility === 'restricted' ? ' It is restricted: only channels it is bound to can use it.' : '';
  await say(reply, `Questions here are now answered from **${kb.name}**.${restricted} \`/kb unuse\` stops that.`);
};

export const unuse: Handler<'unuse'> = async (svc, ev, reply) => {
  const previous = svc.bindings.unbind(channelKeyOf(ev));
  await say(reply, previous ? `Questions here are no longer answered from **${previous}**.` : 'No knowledge base is bound here.');
};

/** In a thread or DM: that conversation. At a channel's top level: all of the channel's threads. */
export const reset: Handler<'reset'> = async (svc, ev, reply) => {
  const key = conversationKeyOf(ev);
  const wholeChannel = !ev.isDm && !ev.thread;
  const single = svc.conversations.idOf(key);
  const ids = wholeChannel ? svc.conversations.channelConversationIds(key) : single === undefined ? [] : [single];
  const turns = svc.conversations.forgetIds(ids);
  const temp = svc.tempKbs.ofConversations(ids);
  for (const kb of temp) await dropTempKb(svc, kb);
  const where = ev.isDm ? 'this conversation' : wholeChannel ? 'this channel' : 'this thread';
  const files = temp.length ? ' and the files shared here' : '';
  await say(reply, `Forgot ${turns} earlier question${turns === 1 ? '' : 's'}${files} in ${where}.`);
};

export const model: Handler<'model'> = async (svc, ev, reply, cmd) => {
  const key = conversationKeyOf(ev);
  const models = svc.answers.models();
  if (!models.length) throw new TeamKbError('LLM_UNAVAILABLE', 'No AI model is configured, so there is none to pick.');
  const current = conversationModel(svc, key) ?? models[0];
  if (!cmd.model) {
    const list = models.map((m) => (m === current ? `**${m}** (in use)` : m)).join(', ');
    await say(reply, `Model for this conversation: **${current}**. Available: ${list}. Switch with \`/kb model <name>\`.`);
    return;
  }
  const wanted = models.find((m) => m.toLowerCase() === cmd.model?.toLowerCase());
  if (!wanted) {
    throw new TeamKbError('MODEL_NOT_FOUND', `There is no model "${cmd.model}". Available: ${models.join(', ')}.`);
  }
  svc.conversations.setModel(key, wanted === models[0] ? null : wanted, svc.now());
  await say(reply, `This conversation now uses **${wanted}**.`);
};

export const status: Handler<'status'> = async (svc, ev, reply) => {
  const s = svc.answers.status();
  const current = conversationModel(svc, conversationKeyOf(ev)) ?? s.llms[0];
  // The registry's jobs: uploads from every surface, file chats, reindexes and CLI ingests alike.
  const temp = new Set(svc.tempKbs.all());
  const jobs = svc.kb.listJobs({ unfinished: true }).map((j) => {
    const p = j.progress;
    const done = j.status === 'queued' ? ' waiting' : ` ${p.filesDone}/${p.filesTotal} files, ${p.chunksDone} chunks`;
    // Temporary file-chat KBs belong to one conversation: their names stay private.
    const what = temp.has(j.kb) ? 'file chat' : `${JOB_LABEL[j.kind]} **${j.kb}**`;
    return `  • ${what}:${done} (job ${j.id.slice(0, 8)})`;
  });
  const kbs = namedKbs(svc).length;
  const lines = [
    '**TeamKB status**',
    `• Models: ${s.llms.length ? s.llms.join(', ') : 'none'}${current ? ` · this conversation: ${current}` : ''}`,
    `• Embedder: ${s.embedder}`,
    `• Answer queue: ${s.queued} waiting, ${s.running} running`,
    `• Knowledge bases: ${kbs} · shared-file chats: ${svc.tempKbs.all().length}`,
    jobs.length ? `• Jobs (${jobs.length}):` : '• Jobs: none running',
    ...jobs,
  ];
  await say(reply, lines.join('\n'));
};
