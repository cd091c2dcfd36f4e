import { TeamKbChatModel } from '../../adapters/models/langchain-chat-model.js';
import type { AgentLimits, ToolModelPicker, WebSearch } from '../../core/agent/ports.js';
import { type AgentService, createAgentService } from '../../core/agent/service.js';
import type { CitationLink } from '../../core/answer.js';
import { TeamKbError } from '../../core/errors.js';
import type { Principal } from '../../core/principal.js';
import { canCallTools } from '../../core/tool-llm.js';
import type { CoreServices } from '../core-services.js';
import type { VisibleKbs } from '../runtime/agent-principal.js';
import { readAroundFromStore } from './read-around.js';

/** The agent itself, on LangChain and LangGraph; bots/wiring/agent.ts loads this module on the first agent request. */

/** Tool-capable configured models as LangChain chat models, one instance each. */
export function toolModels(core: Pick<CoreServices, 'llms' | 'config'>): ToolModelPicker {
  const models = core.llms
    .filter(({ llm }) => canCallTools(llm))
    .map(({ name, llm }) => ({
      name,
      tokens: llm.tokens,
      maxTokens: core.config.model.maxTokens,
      model: new TeamKbChatModel(llm as never, {
        maxTokens: core.config.model.maxTokens,
        temperature: core.config.model.temperature,
      }),
    }));
  return (name) => {
    if (!name) return models[0];
    const found = models.find((m) => m.name === name);
    if (!found && core.llms.some((m) => m.name === name)) {
      throw new TeamKbError('MODEL_NOT_FOUND', `Model "${name}" cannot call tools, so it cannot run agent mode.`);
    }
    if (!found) throw new TeamKbError('MODEL_NOT_FOUND', `Model "${name}" is not configured.`);
    return found;
  };
}

/** The agent's settings, read when the server starts (so a bad value shows then, not on first use). */
export interface AgentSettings {
  limits: AgentLimits;
  webSearch: boolean;
}

export function buildAgentService(
  core: CoreServices,
  deps: { visibleKbs: VisibleKbs; web?: WebSearch; link?: CitationLink },
  settings: AgentSettings,
): AgentService<Principal> {
  return createAgentService<Principal>({
    search: (kbs, query, opts) => core.kb.search(kbs, query, opts),
    visibleKbs: (principal) => deps.visibleKbs(principal).map((kb) => ({ name: kb.name, description: kb.description })),
    models: toolModels(core),
    web: settings.webSearch ? deps.web : undefined,
    readAround: readAroundFromStore(core),
    link: deps.link,
    limits: settings.limits,
    prompt: core.config.prompts.agent,
    topK: core.config.kb.topK,
    historyTurns: core.config.bot.historyTurns,
  });
}
