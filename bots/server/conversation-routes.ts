import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AnswerPart } from '../../core/answer.js';
import { TeamKbError } from '../../core/errors.js';
import { type Principal, principalKey } from '../../core/principal.js';
import type { AccessPolicy } from '../access/policy.js';
import { CHAT_PREFIX, type ChatHistoryReader } from '../state/chat-history-reader.js';
import type { ConversationSettings, WebConversationStore } from '../state/web-conversation-store.js';
import { principalOf } from './auth.js';

/** How many recent 👎 a knowledge base's feedback list shows. */
const FEEDBACK_LIMIT = 50;

export const conversationId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'conversation id: 1–64 letters, digits, "_" or "-"');

export interface ConversationRouteDeps {
  store: WebConversationStore;
  chats: ChatHistoryReader;
  policy: AccessPolicy;
  now?: () => number;
}

export interface TurnRecording {
  store: WebConversationStore;
  principal: Principal;
  conversation: string;
  question: string;
  settings: ConversationSettings;
  /** The answer this one regenerates: the new one takes its place once it is complete. */
  replaces?: string;
  now?: () => number;
}

/**
 * Passes answer parts through and stores the finished answer as a turn of the conversation.
 * Answers without an id get one here, so every web answer can be voted on.
 */
export async function* recordTurn(parts: AsyncIterable<AnswerPart>, rec: TurnRecording): AsyncIterable<AnswerPart> {
  const now = rec.now ?? Date.now;
  const started = now();
  const owner = principalKey(rec.principal);
  for await (const part of parts) {
    if (part.type === 'done') {
      const answer = { ...part.answer, answerId: part.answer.answerId ?? `web-${randomUUID()}` };
      const turn = { question: rec.question, answer, elapsedMs: now() - started, ...rec.settings };
      rec.store.addTurn(owner, rec.conversation, turn, now(), rec.replaces);
      yield { ...part, answer };
      continue;
    }
    yield part;
  }
}

const idParams = z.object({ id: conversationId });
const summaryView = z.object({
  id: z.string(),
  title: z.string(),
  mode: z.string(),
  kbs: z.array(z.string()),
  model: z.string().nullable(),
  updatedAt: z.number(),
  readOnly: z.boolean(),
  platform: z.string(),
});

/** The signed-in person's conversations: list, search, read, rename, delete, vote on answers. */
export async function conversationRoutes(app: FastifyInstance, deps: ConversationRouteDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['conversations'];
  const now = deps.now ?? Date.now;
  const owner = (p: Principal) => principalKey(p);
  const identity = (p: Principal) => (p.kind === 'user' ? p.identity : undefined);

  r.get(
    '/api/conversations',
    {
      schema: {
        tags,
        summary: 'Your conversations, newest first (q: words in titles, questions or answers)',
        querystring: z.object({ q: z.string().max(200).default('') }),
        response: { 200: z.object({ conversations: z.array(summaryView) }) },
      },
    },
    async (req) => {
      const p = principalOf(req);
      const who = identity(p);
      const chats = who ? deps.chats.list(who, req.query.q) : [];
      const all = [...deps.store.list(owner(p), req.query.q), ...chats].sort((a, b) => b.updatedAt - a.updatedAt);
      return { conversations: all };
    },
  );

  r.get(
    '/api/conversations/:id',
    { schema: { tags, summary: 'One conversation with its questions and answers', params: idParams } },
    async (req) => {
      const p = principalOf(req);
      const who = identity(p);
      if (req.params.id.startsWith(CHAT_PREFIX) && who) {
        const turns = deps.chats.turns(who, req.params.id);
        const summary = deps.chats.list(who).find((c) => c.id === req.params.id);
        if (turns && summary) return { ...summary, turns };
      }
      const summary = deps.store.get(owner(p), req.params.id);
      if (!summary)
        throw new TeamKbError('CONVERSATION_NOT_FOUND', 'That conversation does not exist (it may have been deleted).');
      return { ...summary, turns: deps.store.turns(owner(p), req.params.id) };
    },
  );

  r.patch(
    '/api/conversations/:id',
    {
      schema: {
        tags,
        summary: 'Rename a conversation',
        params: idParams,
        body: z.object({ title: z.string().trim().min(1).max(200) }),
      },
    },
    async (req) => {
      if (!deps.store.rename(owner(principalOf(req)), req.params.id, req.body.title, now()))
        throw new TeamKbError('CONVERSATION_NOT_FOUND', 'That conversation does not exist (it may have been deleted).');
      return { ok: true };
    },
  );

  r.delete(
    '/api/conversations/:id',
    { schema: { tags, summary: 'Delete a conversation', params: idParams } },
    async (req, reply) => {
      deps.store.remove(owner(principalOf(req)), req.params.id);
      return reply.status(204).send();
    },
  );

  r.post(
    '/api/conversations/:id/feedback',
    {
      schema: {
        tags,
        summary: 'Vote on one of your answers (👍/👎) with an optional comment',
        params: idParams,
        body: z.object({
          answerId: z.string().min(1).max(200),
          vote: z.enum(['up', 'down']),
          comment: z.string().max(2000).optional(),
        }),
      },
    },
    async (req) => {
      const { answerId, vote, comment } = req.body;
      if (!deps.store.vote(owner(principalOf(req)), answerId, vote, comment?.trim() || null, now()))
        throw new TeamKbError('CONVERSATION_NOT_FOUND', 'That answer is no longer on record, so the vote was not kept.');
      return { ok: true };
    },
  );

  r.get(
    '/api/kb/:kb/feedback',
    {
      schema: {
        tags: ['knowledge bases'],
        summary: 'Recent 👎 on answers from this knowledge base, from the web console and the chat platforms',
        params: z.object({ kb: z.string().min(1) }),
      },
    },
    async (req) => {
      const kb = deps.policy.require(principalOf(req), req.params.kb, 'manage').name;
      const web = deps.store.downVotes(kb, FEEDBACK_LIMIT);
      // A web vote on an answer given in the web chat's conversation mode is the one with the comment.
      const inWeb = new Set(web.map((f) => f.answerId));
      const chats = deps.chats.downVotes(kb, FEEDBACK_LIMIT).filter((f) => !inWeb.has(f.answerId));
      const all = [...web, ...chats].sort((a, b) => b.createdAt - a.createdAt).slice(0, FEEDBACK_LIMIT);
      return { feedback: all };
    },
  );
}
