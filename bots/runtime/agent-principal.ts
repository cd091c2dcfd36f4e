import type { ChatContext } from '../../core/chat.js';
import type { KnowledgeBase } from '../../core/registry.js';

/**
 * Who asks an agent question. Chat users see what their channel may see; HTTP callers passed the
 * API key and see every named KB, as the rest of the HTTP API does.
 */
export type AgentPrincipal =
  | { kind: 'chat'; where: Pick<ChatContext, 'platform' | 'workspace' | 'channel' | 'user' | 'roles'> }
  | { kind: 'http' };

/** The single access decision the agent, the MCP server and the LangChain tools depend on. */
export type VisibleKbs = (principal: AgentPrincipal) => KnowledgeBase[];
