import type { ToolCall, ToolChatMessage, ToolChatRequest, ToolChatResult } from '../../core/tool-llm.js';
import { cancelledError } from './cancel.js';
import { endpointError, endpointUrl, type OpenAiEndpoint, postOpenAi } from './openai-http.js';

interface WireToolCall {
  id?: string;
  function?: { name?: string; arguments?: string };
}

interface CompletionResponse {
  choices?: Array<{ message?: { content?: string | null; tool_calls?: WireToolCall[] | null } }>;
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
}

function toWire(m: ToolChatMessage): Record<string, unknown> {
  if (m.role === 'tool') return { role: 'tool', tool_call_id: m.toolCallId, content: m.content };
  if (m.role === 'assistant' && m.toolCalls?.length) {
    return {
      role: 'assistant',
      content: m.content || null,
      tool_calls: m.toolCalls.map((c) => ({
        id: c.id,
        type: 'function',
        function: { name: c.name, arguments: JSON.stringify(c.args) },
      })),
    };
  }
  return { role: m.role, content: m.content };
}

/** Arguments arrive as a JSON string; a broken one is passed on so the tool can say what is wrong. */
function parseArgs(raw: string | undefined): Record<string, unknown> {
  if (!raw?.trim()) return {};
  try {
    const value = JSON.parse(raw) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : { value };
  } catch {
    return { invalid_json_arguments: raw.slice(0, 200) };
  }
}

/** One non-streamed chat completion with `tools`; returns the text and any tool calls. */
export async function openAiToolChat(endpoint: OpenAiEndpoint, req: ToolChatRequest): Promise<ToolChatResult> {
  const url = endpointUrl(endpoint.baseUrl, 'chat/completions');
  const body = {
    model: endpoint.model,
    messages: req.messages.map(toWire),
    stream: false,
    ...(req.tools.length
      ? {
          tools: req.tools.map((t) => ({
            type: 'function',
            function: { name: t.name, description: t.description, parameters: t.parameters },
          })),
          tool_choice: req.toolChoice ?? 'auto',
        }
      : {}),
    ...(req.maxTokens !== undefined ? { max_tokens: req.maxTokens } : {}),
    ...(req.temperature !== undefined ? { temperature: req.temperature } : {}),
  };
  const res = await postOpenAi(endpoint, 'chat/completions', body, req.signal);
  let json: CompletionResponse;
  try {
    json = (await res.json()) as CompletionResponse;
  } catch (err) {
    if (req.signal?.aborted) throw cancelledError('Generation');
    throw endpointError(endpoint, url, 'sent a response that is not JSON', undefined, err);
  }
  const message = json.choices?.[0]?.message;
  if (!message) throw endpointError(endpoint, url, 'sent no choices');
  const toolCalls: ToolCall[] = (message.tool_calls ?? [])
    .filter((c) => c.function?.name)
    .map((c, i) => ({ id: c.id || `call_${i}`, name: c.function?.name as string, args: parseArgs(c.function?.arguments) }));
  return {
    text: message.content ?? '',
    toolCalls,
    usage: json.usage ? { promptTokens: json.usage.prompt_tokens, completionTokens: json.usage.completion_tokens } : undefined,
  };
}
