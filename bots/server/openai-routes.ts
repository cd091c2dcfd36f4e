import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Citation } from '../../core/answer.js';
import { TeamKbError } from '../../core/errors.js';
import type { AnswerRequest, AnswerService, KbService } from '../../core/kb-service.js';
import type { ChatMessage } from '../../core/llm.js';
import type { AccessPolicy } from '../access/policy.js';
import { agentModelScope, httpAgentParts, type ServerAgent } from './agent-route.js';
import { principalOf } from './auth.js';
import { openSse } from './sse.js';

const message = z.object({
  role: z.enum(['system', 'user', 'assistant', 'developer', 'tool']),
  content: z.union([z.string(), z.array(z.object({ type: z.string(), text: z.string().optional() }).passthrough()), z.null()]),
});

const completionBody = z
  .object({
    model: z.string().min(1),
    messages: z.array(message).min(1),
    stream: z.boolean().optional(),
    temperature: z.number().optional(),
    max_tokens: z.number().int().min(1).optional(),
    max_completion_tokens: z.number().int().min(1).optional(),
    top_k: z.number().int().min(1).max(50).optional(),
    score_threshold: z.number().min(0).max(1).optional(),
    /** Which configured LLM writes kb/search answers (defaults to the first). */
    llm: z.string().optional(),
    stream_options: z.object({ include_usage: z.boolean().optional() }).passthrough().optional(),
  })
  .passthrough();

/** Token counts as OpenAI reports them; zero when no model wrote the answer (extractive, nothing found). */
function openAiUsage(usage: { promptTokens: number; completionTokens: number } | undefined) {
  const prompt = usage?.promptTokens ?? 0;
  const completion = usage?.completionTokens ?? 0;
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

const text = (content: z.infer<typeof message>['content']): string =>
  typeof content === 'string' ? content : (content ?? []).map((p) => p.text ?? '').join('');

/** Maps an OpenAI model id onto a TeamKB chat mode: llm, llm:<name>, search, kb:<a,b>, file:<tmp kb>. */
export function toAnswerRequest(body: z.infer<typeof completionBody>, models: string[]): Omit<AnswerRequest, 'signal'> {
  const turns = body.messages.filter((m) => m.role === 'user' || m.role === 'assistant');
  const last = turns[turns.length - 1];
  if (last?.role !== 'user') throw new TeamKbError('INVALID_INPUT', 'The last message must be from the user.');
  const history: ChatMessage[] = turns
    .slice(0, -1)
    .map((m) => ({ role: m.role as 'user' | 'assistant', content: text(m.content) }));
  const base = {
    question: text(last.content),
    history,
    topK: body.top_k,
    scoreThreshold: body.score_threshold,
    model: body.llm,
    maxTokens: body.max_completion_tokens ?? body.max_tokens,
    temperature: body.temperature,
  };
  const [kind, rest] = body.model.includes(':')
    ? [body.model.slice(0, body.model.indexOf(':')), body.model.slice(body.model.indexOf(':') + 1)]
    : [body.model, ''];
  if (kind === 'llm') return { ...base, mode: 'llm', model: rest || body.llm };
  if (models.includes(body.model)) return { ...base, mode: 'llm', model: body.model };
  if (kind === 'search') return { ...base, mode: 'search' };
  if (kind === 'kb' && rest) return { ...base, mode: 'kb', kbs: rest.split(',') };
  throw new TeamKbError('MODEL_NOT_FOUND', `Unknown model "${body.model}". Use llm, search or kb:<name> (see GET /v1/models).`);
}

export async function openAiRoutes(
  app: FastifyInstance,
  deps: { answers: AnswerService; kb: KbService; policy: AccessPolicy; agent?: ServerAgent },
): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['openai-compatible'];

  r.get('/v1/models', { schema: { tags, summary: 'Models: llm, llm:<name>, search, kb:<name>' } }, async (req) => {
    const created = Math.floor(Date.now() / 1000);
    const ids = [
      'llm',
      ...deps.answers.models().map((m) => `llm:${m}`),
      'search',
      ...deps.policy.usableKbs(principalOf(req)).map((k) => `kb:${k.name}`),
      ...(deps.agent ? ['agent', ...deps.agent.visibleKbs(principalOf(req)).map((k) => `agent:${k.name}`)] : []),
    ];
    return { object: 'list', data: ids.map((id) => ({ id, object: 'model', created, owned_by: 'teamkb' })) };
  });

  r.post(
    '/v1/chat/completions',
    { schema: { tags, summary: 'Chat completion (stream with SSE when stream is true)', body: completionBody } },
    async (req, reply) => {
      const agentScope = agentModelScope(req.body.model);
      const parsed = agentScope
        ? { ...toAnswerRequest({ ...req.body, model: 'llm' }, []), kbs: agentScope.kbs }
        : toAnswerRequest(req.body, deps.answers.models());
      // An unknown (or invisible) KB is a 404 before any stream opens, not an error event inside a 200 stream.
      const principal = principalOf(req);
      const kbs = parsed.kbs?.map((kb) => deps.policy.require(principal, kb, 'search').name);
      const request = kbs ? { ...parsed, kbs } : parsed;
      const abort = new AbortController();
      reply.raw.on('close', () => {
        if (!reply.raw.writableFinished) abort.abort();
      });
      const id = `chatcmpl-${randomUUID()}`;
      const created = Math.floor(Date.now() / 1000);
      const model = req.body.model;
      const parts = agentScope
        ? httpAgentParts(deps.agent, principal, { ...request, model: req.body.llm, signal: abort.signal })
        : deps.answers.answer({ ...request, signal: abort.signal });

      if (!req.body.stream) {
        let content = '';
        let citations: Citation[] = [];
        let usage = openAiUsage(undefined);
        for await (const part of parts) {
          if (part.type === 'text') content += part.text;
          if (part.type === 'done') {
            citations = part.answer.citations;
            usage = openAiUsage(part.answer.usage);
          }
          if (part.type === 'error') throw new TeamKbError(part.code as never, part.message);
        }
        return {
          id,
          object: 'chat.completion',
          created,
          model,
          choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
          citations,
          usage,
        };
      }

      const sse = openSse(reply);
      const chunk = (delta: Record<string, unknown>, finish: string | null, extra: Record<string, unknown> = {}) =>
        sse.send({
          id,
          object: 'chat.completion.chunk',
          created,
          model,
          choices: [{ index: 0, delta, finish_reason: finish }],
          ...extra,
        });
      chunk({ role: 'assistant', content: '' }, null);
      for await (const part of parts) {
        if (part.type === 'text') chunk({ content: part.text }, null);
        else if (part.type === 'done') {
          const usage = openAiUsage(part.answer.usage);
          chunk({}, 'stop', { citations: part.answer.citations, usage });
          // As OpenAI does for stream_options.include_usage: a last chunk with no choices.
          if (req.body.stream_options?.include_usage)
            sse.send({ id, object: 'chat.completion.chunk', created, model, choices: [], usage });
        } else if (part.type === 'error') sse.send({ error: { code: part.code, message: part.message } });
      }
      sse.send('[DONE]');
      sse.close();
    },
  );
}
