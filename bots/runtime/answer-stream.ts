import { randomUUID } from 'node:crypto';
import type { AnswerPart, FinalAnswer } from '../../core/answer.js';
import type { ChatContext, Reply } from '../../core/chat.js';
import { TeamKbError } from '../../core/errors.js';
import type { AnswerRequest } from '../../core/kb-service.js';
import type { ChatMessage } from '../../core/llm.js';
import { principalOfContext } from '../access/principal-of.js';
import type { ConversationKey, Turn } from '../state/conversation-store.js';
import { conversationModel } from './conversation-model.js';
import { newRef } from './error-part.js';
import type { Services } from './services.js';

export interface AnswerJob {
  ctx: ChatContext;
  key: ConversationKey;
  request: Pick<AnswerRequest, 'mode' | 'question' | 'kbs'>;
  /** A markdown line added under the answer (e.g. how to pick a KB). */
  hint?: string;
  /** Answer in agent mode instead (the model picks its own searches), optionally within these KBs. */
  agent?: { kbs?: string[] };
}

function historyOf(turns: Turn[]): ChatMessage[] {
  return turns.flatMap((t): ChatMessage[] => [
    { role: 'user', content: t.question },
    { role: 'assistant', content: t.answer },
  ]);
}

/**
 * Streams an answer to the reply with the conversation's history and model, stores the finished
 * turn and gives the answer its id (for feedback buttons).
 */
export async function streamAnswer(svc: Services, reply: Reply, job: AnswerJob): Promise<void> {
  const history = historyOf(svc.conversations.recentTurns(job.key, svc.config.historyTurns));
  const model = conversationModel(svc, job.key);
  const request: AnswerRequest = { ...job.request, history, ...(model ? { model } : {}) };
  for await (const part of partsFor(svc, job, request)) {
    if (part.type === 'error') {
      const ref = part.ref ?? newRef();
      svc.logger.warn({ ref, code: part.code, mode: request.mode, kbs: request.kbs }, part.message);
      await reply.write({ ...part, ref });
      return;
    }
    if (part.type !== 'done') {
      await reply.write(part);
      continue;
    }
    const answer = finish(svc, job, part.answer);
    if (job.hint) await reply.write({ type: 'text', text: `\n\n${job.hint}` });
    await reply.write({
      type: 'done',
      answer: job.hint ? { ...answer, markdown: `${answer.markdown}\n\n${job.hint}` } : answer,
    });
    return;
  }
  throw new TeamKbError('INTERNAL', 'The answer stopped before it was complete.', { details: { mode: request.mode } });
}

function partsFor(svc: Services, job: AnswerJob, request: AnswerRequest): AsyncIterable<AnswerPart> {
  if (!job.agent) return svc.answers.answer(request);
  if (!svc.agent) throw new TeamKbError('LLM_UNAVAILABLE', 'Agent mode is not set up on this server.');
  return svc.agent.answer({
    principal: principalOfContext(job.ctx),
    question: request.question,
    history: request.history,
    kbs: job.agent.kbs,
    model: request.model,
  });
}

function finish(svc: Services, job: AnswerJob, answer: FinalAnswer): FinalAnswer {
  const answerId = answer.answerId ?? randomUUID();
  svc.conversations.addTurn(
    job.key,
    {
      user: job.ctx.user,
      question: job.request.question,
      answer: answer.markdown,
      citations: answer.citations,
      sources: answer.sources,
      mode: answer.mode,
      answerId,
    },
    svc.now(),
  );
  return { ...answer, answerId };
}
