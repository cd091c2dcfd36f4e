import type { Identity } from '../../../core/principal.js';
import { type Handler, say } from './types.js';

/**
 * `/kb web` alone, or `/kb login`: a one-time link that signs this chat user in to the web
 * console as the same identity (same admin rights, same KBs). Sent only in a direct message, so
 * nobody else in a channel can use it; `--logout` ends every web session of the user.
 */
export const login: Handler<'login'> = async (svc, ev, reply, cmd) => {
  if (ev.principal) {
    await say(reply, 'You are in the web console already. Sign in again from chat with `/kb web` in a direct message to me.');
    return;
  }
  const identity: Identity = {
    platform: ev.platform,
    workspace: ev.workspace,
    user: ev.user,
    roles: ev.roles ?? [],
    ...(ev.userName ? { displayName: ev.userName } : {}),
  };
  if (cmd.logout) {
    const ended = svc.access.sessions.revokeAll(identity);
    await say(reply, `Signed out of the web console everywhere (${ended} session${ended === 1 ? '' : 's'} ended).`, true);
    return;
  }
  if (!svc.signInUrl) {
    await say(reply, 'The web console is not running with this bot, so there is nothing to sign in to.', true);
    return;
  }
  if (!ev.isDm) {
    await say(reply, 'Sign-in links are personal: send `/kb web` to me in a direct message and I will reply with yours.', true);
    return;
  }
  const { token, expiresAt } = svc.access.links.issue(identity);
  const minutes = Math.round((expiresAt - svc.now()) / 60_000);
  await say(
    reply,
    `[Open the TeamKB web console](${svc.signInUrl(token)}) as ${identity.displayName ?? identity.user}. ` +
      `The link works once, for ${minutes} minutes; do not share it. \`/kb login --logout\` signs you out everywhere.`,
    true,
  );
};
