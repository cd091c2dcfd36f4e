import { streamAnswer } from '../../runtime/answer-stream.js';
import { conversationKeyOf } from '../../runtime/conversation-key.js';
import { resolveKb } from '../../runtime/kb-access.js';
import type { Handler } from './types.js';

export const ask: Handler<'ask'> = async (svc, ev, reply, cmd) => {
  const kb = resolveKb(svc, ev, cmd.kb, 'read');
  svc.rateLimiter.take(ev);
  await streamAnswer(svc, reply, {
    ctx: ev,
    key: conversationKeyOf(ev),
    request: { mode: 'kb', question: cmd.question, kbs: [kb.name] },
  });
};

/** Agent mode: the model picks its searches among the KBs visible here, then answers with citations. */
export const agent: Handler<'agent'> = async (svc, ev, reply, cmd) => {
  svc.rateLimiter.take(ev);
  await streamAnswer(svc, reply, {
    ctx: ev,
    key: conversationKeyOf(ev),
    request: { mode: 'kb', question: cmd.question },
    agent: {},
  });
};

export const web: Handler<'web'> = async (svc, ev, reply, cmd) => {
  svc.rateLimiter.take(ev);
  await streamAnswer(svc, reply, { ctx: ev, key: conversationKeyOf(ev), request: { mode: 'search', question: cmd.question } });
};
