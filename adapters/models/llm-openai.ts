import { TeamKbError } from '../../core/errors.js';
import type { ChatMessage, LlmPart, LlmRequest } from '../../core/llm.js';
import type { ToolCallingLlm } from '../../core/tool-llm.js';
import { cancelledError } from './cancel.js';
import { endpointError, endpointUrl, type OpenAiEndpoint, postOpenAi } from './openai-http.js';
import { openAiToolChat } from './openai-tool-chat.js';
import { sseData } from './sse.js';

export type OpenAiLlmOptions = Omit<OpenAiEndpoint, 'role'>;

interface ChatChunk {
  choices?: Array<{ delta?: { content?: string | null } }>;
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
  error?: { message?: string } | string;
}

/** Streams chat completions from an OpenAI-compatible `/v1/chat/completions` endpoint over SSE. */
export function createOpenAiLlm(options: OpenAiLlmOptions): ToolCallingLlm {
  const endpoint: OpenAiEndpoint = { ...options, role: 'llm' };
  const url = endpointUrl(options.baseUrl, 'chat/completions');
  return {
    id: `openai:${options.model}`,
    chatWithTools: (req) => openAiToolChat(endpoint, req),
    async *stream(req: LlmRequest): AsyncIterable<LlmPart> {
      const body = {
        model: options.model,
        messages: req.messages.map((m: ChatMessage) => ({ role: m.role, content: m.content })),
        stream: true,
        stream_options: { include_usage: true },
        ...(req.maxTokens !== undefined ? { max_tokens: req.maxTokens } : {}),
        ...(req.temperature !== undefined ? { temperature: req.temperature } : {}),
      };
      const res = await postOpenAi(endpoint, 'chat/completions', body, req.signal);
      if (!res.body) throw endpointError(endpoint, url, 'sent an empty response');
      let usage: { promptTokens?: number; completionTokens?: number } | undefined;
      try {
        for await (const data of sseData(res.body)) {
          if (data.trim() === '[DONE]') break;
          let chunk: ChatChunk;
          try {
            chunk = JSON.parse(data) as ChatChunk;
          } catch {
            continue;
          }
          if (chunk.error) {
            const message = typeof chunk.error === 'string' ? chunk.error : chunk.error.message;
            throw endpointError(endpoint, url, `stream failed: ${message ?? 'unknown error'}`);
          }
          const text = chunk.choices?.[0]?.delta?.content;
          if (text) yield { type: 'text', text };
          if (chunk.usage) usage = { promptTokens: chunk.usage.prompt_tokens, completionTokens: chunk.usage.completion_tokens };
        }
      } catch (err) {
        if (req.signal?.aborted) throw cancelledError('Generation');
        if (err instanceof TeamKbError) throw err;
        throw endpointError(endpoint, url, `connection lost while streaming (${(err as Error).message})`, undefined, err);
      }
      if (req.signal?.aborted) throw cancelledError('Generation');
      yield { type: 'done', usage };
    },
  };
}
