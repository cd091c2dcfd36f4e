import type { Principal } from '../../core/principal.js';
import type { KnowledgeBase } from '../../core/registry.js';

/**
 * The knowledge bases a principal may search from where it asks: the access policy's answer, the
 * single decision the agent, the MCP server and the LangChain tools depend on.
 */
export type VisibleKbs = (principal: Principal) => KnowledgeBase[];
