import type { WebSearch } from '../../core/agent/ports.js';
import type { AgentService } from '../../core/agent/service.js';
import type { CitationLink } from '../../core/answer.js';
import type { Principal } from '../../core/principal.js';
import type { CoreServices } from '../core-services.js';
import type { VisibleKbs } from '../runtime/agent-principal.js';

/**
 * The agent for the server's surfaces. LangChain, LangGraph and the chat-model bridge load with the
 * first agent request: a server whose users never run agent mode never holds them.
 */
export function createAgentFor(
  core: CoreServices,
  deps: { visibleKbs: VisibleKbs; web?: WebSearch; link?: CitationLink },
): AgentService<Principal> {
  const { agent } = core.config;
  const settings = {
    limits: {
      maxSteps: agent.maxSteps,
      maxToolCalls: agent.maxToolCalls,
      timeoutMs: agent.timeoutSeconds * 1000,
      tokenBudget: agent.tokenBudget,
    },
    webSearch: agent.webSearch,
  };
  let service: Promise<AgentService<Principal>> | undefined;
  return {
    async *answer(req) {
      service ??= import('./agent-service.js').then((m) => m.buildAgentService(core, deps, settings));
      yield* (await service).answer(req);
    },
  };
}
