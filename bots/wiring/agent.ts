import type { WebSearch } from '../../core/agent/ports.js';
import type { AgentService } from '../../core/agent/service.js';
import { isTempKbName } from '../commands/kb-name.js';
import type { CoreServices } from '../core-services.js';
import type { AgentPrincipal, VisibleKbs } from '../runtime/agent-principal.js';
import { visibleKbs } from '../runtime/kb-access.js';
import type { Services } from '../runtime/services.js';

/**
 * The agent for the server's surfaces. LangChain, LangGraph and the chat-model bridge load with the
 * first agent request: a server whose users never run agent mode never holds them.
 */
export function createAgentFor(
  core: CoreServices,
  deps: { visibleKbs: VisibleKbs; web?: WebSearch; link?: (kb: string, file: string) => string },
): AgentService<AgentPrincipal> {
  let service: Promise<AgentService<AgentPrincipal>> | undefined;
  return {
    async *answer(req) {
      service ??= import('./agent-service.js').then((m) => m.buildAgentService(core, deps));
      yield* (await service).answer(req);
    },
  };
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
