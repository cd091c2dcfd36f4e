import { TeamKbChatModel } from '../../adapters/models/langchain-chat-model.js';
import type { ReadAround, ToolModelPicker, WebSearch } from '../../core/agent/ports.js';
import { type AgentService, createAgentService } from '../../core/agent/service.js';
import type { CitationLink } from '../../core/answer.js';
import type { Chunk } from '../../core/chunk.js';
import { TeamKbError } from '../../core/errors.js';
import { canCallTools } from '../../core/tool-llm.js';
import { isTempKbName } from '../commands/kb-name.js';
import type { CoreServices } from '../core-services.js';
import type { AgentPrincipal, VisibleKbs } from '../runtime/agent-principal.js';
import { visibleKbs } from '../runtime/kb-access.js';
import type { Services } from '../runtime/services.js';

/** Tool-capable configured models as LangChain chat models, one instance each. */
export function toolModels(core: Pick<CoreServices, 'llms' | 'config'>): ToolModelPicker {
  const models = core.llms
    .filter(({ llm }) => canCallTools(llm))
    .map(({ name, llm }) => ({
      name,
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

/**
 * The chunks next to one chunk of the same file: a keyword search inside that file for the chunk's
 * own words (neighbours share the overlap), kept to ordinals one either side.
 */
export function readAroundFromStore(core: Pick<CoreServices, 'store'>): ReadAround {
  return async (kb: string, chunk: Chunk) => {
    const hits = await core.store.search(kb, {
      mode: 'bm25',
      text: chunk.text.slice(0, 400),
      topK: 50,
      filter: { fileIds: [chunk.fileId] },
    });
    const near = new Map<number, Chunk>([[chunk.ordinal, chunk]]);
    for (const hit of hits) {
      if (Math.abs(hit.chunk.ordinal - chunk.ordinal) <= 1) near.set(hit.chunk.ordinal, hit.chunk);
    }
    return [...near.values()].sort((a, b) => a.ordinal - b.ordinal);
  };
}

export function createAgentFor(
  core: CoreServices,
  deps: { visibleKbs: VisibleKbs; web?: WebSearch; link?: CitationLink },
): AgentService<AgentPrincipal> {
  const { agent } = core.config;
  return createAgentService<AgentPrincipal>({
    search: (kbs, query, opts) => core.kb.search(kbs, query, opts),
    visibleKbs: (principal) => deps.visibleKbs(principal).map((kb) => ({ name: kb.name, description: kb.description })),
    models: toolModels(core),
    web: agent.webSearch ? deps.web : undefined,
    readAround: readAroundFromStore(core),
    link: deps.link,
    limits: {
      maxSteps: agent.maxSteps,
      maxToolCalls: agent.maxToolCalls,
      timeoutMs: agent.timeoutSeconds * 1000,
      tokenBudget: agent.tokenBudget,
    },
    prompt: core.config.prompts.agent,
    topK: core.config.kb.topK,
    historyTurns: core.config.bot.historyTurns,
  });
}

/**
 * Today's access rules as the one function the agent asks: the channel's view for chat users
 * (public KBs and the one bound there), every named KB for HTTP callers holding the API key.
 */
export function agentVisibility(services: () => Services | undefined, core: Pick<CoreServices, 'kb'>): VisibleKbs {
  return (principal: AgentPrincipal) => {
    const svc = services();
    if (principal.kind === 'chat') return svc ? visibleKbs(svc, principal.where) : [];
    return core.kb.listKbs().filter((kb) => !isTempKbName(kb.name));
  };
}
