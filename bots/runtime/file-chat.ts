import type { IncomingMessage, Reply } from '../../core/chat.js';
import { principalKey } from '../../core/principal.js';
import { principalOfContext } from '../access/principal-of.js';
import { streamAnswer } from './answer-stream.js';
import { actorOf, channelKeyOf, conversationKeyOf } from './conversation-key.js';
import { downloadAttachments, runIngestJob } from './ingest-job.js';
import { formatSummary } from './ingest-summary.js';
import type { Services } from './services.js';
import { makeRoomForTempKb, tempKbName } from './temp-kbs.js';

const DEFAULT_FILE_QUESTION = 'Summarise the attached files.';

/** The conversation's file-chat KB, created when absent; each use pushes its expiry back. */
async function conversationTempKb(svc: Services, msg: IncomingMessage): Promise<{ kb: string; reused: boolean }> {
  const key = conversationKeyOf(msg);
  const now = svc.now();
  const expiresAt = now + svc.config.fileChatTtlMinutes * 60_000;
  const conversationId = svc.conversations.ensure(key, now);
  const existing = svc.tempKbs.active(conversationId, now);
  if (existing) {
    svc.tempKbs.extend(existing, expiresAt);
    return { kb: existing, reused: true };
  }
  await makeRoomForTempKb(svc);
  const kb = tempKbName(key);
  await svc.kb.createKb(kb, {
    // No conversation or channel ids here: descriptions are shown wherever a KB is described.
    description: 'Files shared in a conversation',
    createdBy: actorOf(msg),
    visibility: 'restricted',
  });
  svc.tempKbs.add(kb, conversationId, now, expiresAt, {
    owner: principalKey(principalOfContext(msg)),
    channel: channelKeyOf(msg),
  });
  return { kb, reused: false };
}

/**
 * A message with attachments: the files go into the conversation's temporary KB (progress shown
 * while they are read), then the question is answered from them.
 */
export async function fileChat(svc: Services, msg: IncomingMessage, reply: Reply): Promise<void> {
  svc.rateLimiter.take(msg);
  const { kb, reused } = await conversationTempKb(svc, msg);
  const { uploads, failures } = await downloadAttachments(msg.attachments, svc);
  const summary = await runIngestJob(svc, reply, {
    kb,
    filesTotal: uploads.length,
    earlierFailures: failures,
    run: (opts) => svc.kb.ingestUploads(kb, uploads, opts),
  });
  const readable = summary.ingested.length + summary.unchanged.length > 0 || reused;
  if (summary.failed.length) {
    const title = readable ? 'Some files could not be read' : 'None of the files could be read';
    await reply.write({ type: 'message', markdown: formatSummary(title, summary) });
  }
  if (!readable) return;
  const question = msg.text.trim() || DEFAULT_FILE_QUESTION;
  await streamAnswer(svc, reply, { ctx: msg, key: conversationKeyOf(msg), request: { mode: 'file', question, kbs: [kb] } });
}
