import type { ChatContext } from '../../core/chat.js';
import type { ConversationKey } from '../state/conversation-store.js';
import { channelKeyOf } from './conversation-key.js';
import { visibleKbs } from './kb-access.js';
import type { Services } from './services.js';

export type Route =
  | { mode: 'file'; kb: string }
  | { mode: 'kb'; kb: string; why: 'bound' | 'default' }
  | { mode: 'llm'; hint: string };

export const PICK_KB_HINT =
  '_No knowledge base is used here, so this answer comes from the model alone. ' +
  'Bind one with `/kb use <kb>` or ask one directly with `/kb ask <kb> <question>` (`/kb list` shows them)._';

/** Configured defaults for this user and workspace, most specific first. */
function defaultCandidates(svc: Services, ctx: ChatContext): string[] {
  const { users, workspaces, fallback } = svc.config.defaultKb;
  return [
    users[`${ctx.platform}:${ctx.user}`],
    users[ctx.user],
    workspaces[`${ctx.platform}:${ctx.workspace}`],
    workspaces[ctx.workspace],
    fallback,
  ].filter((n): n is string => Boolean(n));
}

/** The channel's bound KB, else the user's or workspace's default — only one visible here. */
export function kbUsedHere(svc: Services, ctx: ChatContext): { kb: string; why: 'bound' | 'default' } | undefined {
  const visible = new Set(visibleKbs(svc, ctx).map((kb) => kb.name));
  const bound = svc.bindings.boundKb(channelKeyOf(ctx));
  if (bound && visible.has(bound)) return { kb: bound, why: 'bound' };
  const fallback = defaultCandidates(svc, ctx).find((name) => visible.has(name));
  return fallback ? { kb: fallback, why: 'default' } : undefined;
}

/**
 * Which source answers a plain message: files shared in this conversation, else the channel's
 * bound KB, else the user's or workspace's default KB, else the model alone.
 */
export function routeMessage(svc: Services, ctx: ChatContext, key: ConversationKey): Route {
  const conversationId = svc.conversations.idOf(key);
  const fileKb = conversationId === undefined ? undefined : svc.tempKbs.active(conversationId, svc.now());
  if (fileKb) return { mode: 'file', kb: fileKb };
  const used = kbUsedHere(svc, ctx);
  return used ? { mode: 'kb', ...used } : { mode: 'llm', hint: PICK_KB_HINT };
}
