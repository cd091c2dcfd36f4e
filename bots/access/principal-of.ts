import type { ChatContext } from '../../core/chat.js';
import type { Principal } from '../../core/principal.js';

/** The principal of a chat event: the web console's signed-in principal, else the platform user in this channel. */
export function principalOfContext(
  ctx: Pick<ChatContext, 'platform' | 'workspace' | 'channel' | 'principal'> & Partial<Pick<ChatContext, 'user' | 'roles'>>,
): Principal {
  if (ctx.principal) return ctx.principal;
  return {
    kind: 'user',
    via: 'chat',
    identity: { platform: ctx.platform, workspace: ctx.workspace, user: ctx.user ?? '', roles: ctx.roles ?? [] },
    channel: { platform: ctx.platform, workspace: ctx.workspace, channel: ctx.channel },
  };
}
