import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { FinalAnswer } from '../../core/answer.js';
import type { BotRuntime, ChatContext, FileRef, IncomingEvent, Reply, ReplyPart } from '../../core/chat.js';
import { TeamKbError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { type Principal, principalKey } from '../../core/principal.js';
import type { WebConversationStore } from '../state/web-conversation-store.js';
import { principalOf } from './auth.js';
import { openSse } from './sse.js';

export interface RuntimeRouteDeps {
  runtime: BotRuntime;
  /** Where the web console keeps its conversations; each reply becomes a turn of one. */
  store?: WebConversationStore;
  maxUploadBytes: number;
  logger: Logger;
}

/**
 * The web chat is one platform; each principal is a workspace of it, so conversation ids chosen
 * by one client never reach another principal's history or shared files.
 */
const PLATFORM = 'web';
const MAX_TEXT = 20_000;

/** Same grammar as a "/kb …" message on the chat platforms: what follows "/kb" is the command line. */
const INLINE_COMMAND = /^\/kb(?:\s+([\s\S]*))?$/;

const conversationParams = z.object({
  id: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'conversation id: 1–64 letters, digits, "_" or "-"')
    .describe('Conversation id chosen by the client; history and shared files belong to it'),
});
const messageBody = z.object({
  text: z.string().max(MAX_TEXT).default('').describe('The question, or a "/kb …" command'),
  replaces: z.string().max(200).optional().describe('Answer id this message regenerates (dropped from the conversation)'),
  model: z
    .string()
    .max(200)
    .optional()
    .describe('The model for this conversation from now on (as `/kb model <name>`): answers, file chat and commands use it'),
  files: z
    .array(z.string().meta({ format: 'binary' }))
    .optional()
    .describe('multipart/form-data only: files to chat about, or to upload with "/kb upload <kb>"'),
});
const actionBody = z.object({
  action: z.enum(['feedback', 'confirm', 'cancel']),
  value: z.string().min(1).max(500).describe('The value of the button that was pressed'),
});

const SSE_NOTE =
  'Replies stream as server-sent events named after the part type: status, text, citation, done, error, ' +
  'message, progress, buttons. The stream ends when the reply is complete.';

/** Files of a multipart request, read before validation so the body schema sees only the text. */
const uploadedFiles = new WeakMap<FastifyRequest, FileRef[]>();

function fileRef(name: string, mimeType: string, bytes: Buffer): FileRef {
  return { name, size: bytes.length, mimeType, fetch: async () => bytes };
}

async function readMultipart(
  req: FastifyRequest,
  maxUploadBytes: number,
): Promise<{ text: string; replaces?: string; model?: string; files: FileRef[] }> {
  let text = '';
  let replaces: string | undefined;
  let model: string | undefined;
  const files: FileRef[] = [];
  for await (const part of req.parts({ limits: { fileSize: maxUploadBytes } })) {
    if (part.type === 'field') {
      if (part.fieldname === 'text') text = String(part.value);
      if (part.fieldname === 'replaces') replaces = String(part.value);
      if (part.fieldname === 'model') model = String(part.value);
      continue;
    }
    const bytes = await part.toBuffer();
    if (part.file.truncated) throw new TeamKbError('FILE_TOO_LARGE', `${part.filename}: over the upload limit.`);
    // A form with an empty file input still sends one nameless, empty part.
    if (part.fieldname !== 'files' || (!part.filename && bytes.length === 0)) continue;
    files.push(fileRef(part.filename, part.mimetype, bytes));
  }
  return { text, replaces, model, files };
}

function contextOf(conversation: string, principal: Principal): ChatContext {
  const key = principalKey(principal);
  const name = principal.kind === 'user' ? (principal.identity.displayName ?? principal.identity.user) : key;
  return {
    platform: PLATFORM,
    workspace: key,
    channel: conversation,
    user: key,
    userName: name,
    isDm: true,
    eventId: randomUUID(),
    principal,
  };
}

/** A "/kb …" line becomes a command; anything else (with or without files) is a message. */
export function webMessageEvent(ctx: ChatContext, text: string, attachments: FileRef[], model?: string): IncomingEvent {
  const picked = model ? { model } : {};
  const command = INLINE_COMMAND.exec(text.trim());
  if (command) return { ...ctx, ...picked, kind: 'command', text: command[1] ?? '', attachments };
  return { ...ctx, ...picked, kind: 'message', text, attachments };
}

/**
 * Hands one event to the runtime and streams every part it writes as a server-sent event. A
 * client that goes away stops receiving; the runtime finishes its work (history, shared files).
 */
async function streamEvent(deps: RuntimeRouteDeps, event: IncomingEvent, reply: FastifyReply, replaces?: string): Promise<void> {
  const sse = openSse(reply);
  const record = event.kind === 'action' ? undefined : turnRecorder(deps, event, replaces);
  const sink: Reply = {
    write: async (part) => {
      record?.see(part);
      sse.send(part, part.type);
    },
    end: async () => sse.close(),
  };
  try {
    await deps.runtime.handle(event, sink);
  } catch (err) {
    const ref = randomUUID().slice(0, 8);
    deps.logger.error({ err, ref, conversation: event.channel }, 'web chat event failed');
    sse.send({ type: 'error', code: 'INTERNAL', message: 'Something went wrong. Please try again.', ref }, 'error');
  } finally {
    record?.finish();
    sse.close();
  }
}

/**
 * Keeps a message's reply as a turn of the web conversation: the answer when there is one, else
 * the messages the runtime wrote (command replies), so the conversation reads the same after a reload.
 */
function turnRecorder(deps: RuntimeRouteDeps, event: IncomingEvent, replaces?: string) {
  const store = deps.store;
  const principal = event.principal;
  if (!store || !principal || event.kind === 'action') return undefined;
  const started = Date.now();
  const question = event.kind === 'command' ? `/kb ${event.text}`.trim() : event.text;
  const messages: string[] = [];
  let answer: FinalAnswer | undefined;
  return {
    see(part: ReplyPart) {
      if (part.type === 'done') answer = part.answer;
      else if ((part.type === 'message' || part.type === 'buttons') && !('ephemeral' in part && part.ephemeral))
        messages.push(part.markdown);
    },
    finish() {
      if (!answer && messages.length === 0) return;
      const kept: FinalAnswer = answer ?? { markdown: messages.join('\n\n'), citations: [], sources: [], mode: 'llm' };
      const turn = {
        question: question || '(files)',
        answer: { ...kept, answerId: kept.answerId ?? `web-${randomUUID()}` },
        mode: 'conversation',
        kbs: [],
        model: kept.model ?? null,
        elapsedMs: Date.now() - started,
      };
      store.addTurn(principalKey(principal), event.channel, turn, Date.now(), replaces);
    },
  };
}

/** The web chat as a platform adapter of the bot runtime: file chat, "/kb" commands, buttons, history. */
export async function runtimeRoutes(app: FastifyInstance, deps: RuntimeRouteDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['conversations'];

  r.post(
    '/api/conversations/:id/messages',
    {
      schema: {
        tags,
        summary: 'Send a message, a "/kb" command or files to chat about (JSON or multipart/form-data)',
        description: SSE_NOTE,
        consumes: ['application/json', 'multipart/form-data'],
        params: conversationParams,
        body: messageBody,
      },
      preValidation: async (req) => {
        if (!req.isMultipart()) return;
        const { text, replaces, model, files } = await readMultipart(req, deps.maxUploadBytes);
        uploadedFiles.set(req, files);
        req.body = { text, ...(replaces ? { replaces } : {}), ...(model ? { model } : {}) };
      },
    },
    async (req, reply) => {
      const ctx = contextOf(req.params.id, principalOf(req));
      const { text, model, replaces } = req.body;
      await streamEvent(deps, webMessageEvent(ctx, text, uploadedFiles.get(req) ?? [], model), reply, replaces);
    },
  );

  r.post(
    '/api/conversations/:id/actions',
    {
      schema: {
        tags,
        summary: 'Press a button of an earlier reply (confirm, cancel, feedback)',
        description: SSE_NOTE,
        params: conversationParams,
        body: actionBody,
      },
    },
    async (req, reply) => {
      const ctx = contextOf(req.params.id, principalOf(req));
      await streamEvent(deps, { ...ctx, kind: 'action', action: req.body.action, value: req.body.value }, reply);
    },
  );
}
