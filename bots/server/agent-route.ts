import type { AgentService } from '../../core/agent/service.js';
import type { AnswerPart } from '../../core/answer.js';
import { TeamKbError } from '../../core/errors.js';
import type { ChatMessage } from '../../core/llm.js';
import type { Principal } from '../../core/principal.js';
import type { VisibleKbs } from '../runtime/agent-principal.js';

export interface ServerAgent {
  service: AgentService<Principal>;
  visibleKbs: VisibleKbs;
}

/** `agent` → every visible KB, `agent:<a,b>` → only those; undefined for other model ids. */
export function agentModelScope(model: string): { kbs?: string[] } | undefined {
  if (model === 'agent') return {};
  if (!model.startsWith('agent:')) return undefined;
  const kbs = model
    .slice('agent:'.length)
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
  return kbs.length ? { kbs } : {};
}

/** Agent answers for HTTP callers (web console, /v1), searching only what `principal` may search. */
export function httpAgentParts(
  agent: ServerAgent | undefined,
  principal: Principal,
  req: { question: string; history?: ChatMessage[]; kbs?: string[]; model?: string; signal?: AbortSignal },
): AsyncIterable<AnswerPart> {
  if (!agent) throw new TeamKbError('LLM_UNAVAILABLE', 'Agent mode is not set up on this server.');
  return agent.service.answer({ principal, ...req });
}
