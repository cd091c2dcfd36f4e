import type { CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';
import { BaseChatModel, type BaseChatModelCallOptions, type BindToolsInput } from '@langchain/core/language_models/chat_models';
import { AIMessage, type BaseMessage } from '@langchain/core/messages';
import type { ChatResult } from '@langchain/core/outputs';
import { convertToOpenAITool } from '@langchain/core/utils/function_calling';
import type { ToolCallingLlm, ToolChatMessage, ToolSpec } from '../../core/tool-llm.js';

export interface TeamKbChatCallOptions extends BaseChatModelCallOptions {
  tools?: ToolSpec[];
  /** 'none' keeps the tools known (for history) but asks for a text answer. */
  tool_choice?: 'auto' | 'none';
}

const textOf = (content: BaseMessage['content']): string =>
  typeof content === 'string' ? content : content.map((p) => ('text' in p && typeof p.text === 'string' ? p.text : '')).join('');

/** LangChain messages → the tool-chat turns our models understand. */
export function toToolChat(messages: BaseMessage[]): ToolChatMessage[] {
  return messages.map((m): ToolChatMessage => {
    const type = m._getType();
    if (type === 'system') return { role: 'system', content: textOf(m.content) };
    if (type === 'human') return { role: 'user', content: textOf(m.content) };
    if (type === 'tool') {
      const tool = m as BaseMessage & { tool_call_id: string };
      return { role: 'tool', toolCallId: tool.tool_call_id, name: m.name ?? '', content: textOf(m.content) };
    }
    const calls = (m as AIMessage).tool_calls ?? [];
    return {
      role: 'assistant',
      content: textOf(m.content),
      ...(calls.length ? { toolCalls: calls.map((c, i) => ({ id: c.id ?? `call_${i}`, name: c.name, args: c.args })) } : {}),
    };
  });
}

function toSpec(tool: BindToolsInput): ToolSpec {
  const fn = convertToOpenAITool(tool as never).function;
  return {
    name: fn.name,
    description: fn.description ?? '',
    parameters: (fn.parameters ?? { type: 'object' }) as Record<string, unknown>,
  };
}

/**
 * Any of our tool-calling LLMs (OpenAI-compatible tool calls, llama.cpp function calling) as a
 * LangChain chat model, so LangGraph and LangChain code can drive it.
 */
export class TeamKbChatModel extends BaseChatModel<TeamKbChatCallOptions> {
  constructor(
    private readonly llm: ToolCallingLlm,
    private readonly defaults: { maxTokens?: number; temperature?: number } = {},
  ) {
    super({});
  }

  _llmType(): string {
    return 'teamkb';
  }

  override bindTools(tools: BindToolsInput[], kwargs?: Partial<TeamKbChatCallOptions>) {
    return this.withConfig({ ...kwargs, tools: tools.map(toSpec) } as Partial<TeamKbChatCallOptions>);
  }

  async _generate(
    messages: BaseMessage[],
    options: this['ParsedCallOptions'],
    _runManager?: CallbackManagerForLLMRun,
  ): Promise<ChatResult> {
    const wantsText = options.tool_choice === 'none';
    const result = await this.llm.chatWithTools({
      messages: toToolChat(messages),
      tools: options.tools ?? [],
      toolChoice: wantsText ? 'none' : 'auto',
      maxTokens: this.defaults.maxTokens,
      temperature: this.defaults.temperature,
      signal: options.signal,
    });
    const input = result.usage?.promptTokens ?? 0;
    const output = result.usage?.completionTokens ?? 0;
    const message = new AIMessage({
      content: result.text,
      tool_calls: wantsText
        ? []
        : result.toolCalls.map((c) => ({ id: c.id, name: c.name, args: c.args, type: 'tool_call' as const })),
      ...(result.usage ? { usage_metadata: { input_tokens: input, output_tokens: output, total_tokens: input + output } } : {}),
    });
    return { generations: [{ text: result.text, message }] };
  }
}
