import { ButtonCodec } from '../../core/button-codec.js';
import type { IncomingAction, IncomingCommand } from '../../core/chat.js';
import { record, type SlackIdentity, str, type Translation } from './incoming-events.js';

/** A `/kb …` slash command → IncomingCommand; its results go to the channel or, when ephemeral, to the user. */
export function translateSlashCommand(body: unknown, identity: SlackIdentity): Translation<IncomingCommand> {
  const cmd = record(body);
  const channel = str(cmd?.channel_id);
  const user = str(cmd?.user_id);
  if (!cmd || !channel || !user) return { ignore: 'malformed slash command' };
  const responseUrl = str(cmd.response_url);
  return {
    event: {
      kind: 'command',
      platform: 'slack',
      workspace: str(cmd.team_id) ?? identity.teamId ?? 'unknown',
      channel,
      user,
      userName: str(cmd.user_name),
      isDm: channel.startsWith('D') || cmd.channel_name === 'directmessage',
      eventId: `command:${str(cmd.trigger_id) ?? `${channel}:${user}:${Date.now()}`}`,
      text: (str(cmd.text) ?? '').trim(),
      attachments: [],
    },
    target: { origin: 'command', channel, user, ...(responseUrl ? { responseUrl } : {}) },
  };
}

/** Slash commands cannot carry files; `/kb upload <kb>` explains how to upload instead. */
export function uploadInstructions(commandText: string, commandName: string): string | undefined {
  const m = /^upload(?:\s+(\S+))?/i.exec(commandText.trim());
  if (!m) return undefined;
  const kb = m[1] ?? '<kb>';
  return [
    `Slack does not let files ride along with ${commandName}. To add files to *${kb}*:`,
    `1. Attach the file(s) to a message and write \`upload ${kb}\` as its text.`,
    '2. Send it in a DM with me, or in a channel I am in (mentioning me or not).',
    'I will answer in the thread with the progress and a summary.',
  ].join('\n');
}

/** Slack button values carry the whole token, so decoding needs no memory of earlier messages. */
const BUTTONS = new ButtonCodec();

/** A click on one of the bot's buttons (`block_actions`) → IncomingAction. */
export function translateBlockAction(body: unknown, identity: SlackIdentity): Translation<IncomingAction> {
  const payload = record(body);
  const clicked = Array.isArray(payload?.actions) ? record(payload.actions[0]) : undefined;
  const button = BUTTONS.decode(str(clicked?.value) ?? '');
  const action = button?.action;
  const container = record(payload?.container);
  const message = record(payload?.message);
  const channel = str(record(payload?.channel)?.id) ?? str(container?.channel_id);
  const user = str(record(payload?.user)?.id);
  if (!payload || !clicked || !action || !channel || !user) return { ignore: 'not one of the bot buttons' };
  const messageTs = str(container?.message_ts) ?? str(message?.ts);
  const thread = str(container?.thread_ts) ?? str(message?.thread_ts) ?? messageTs;
  const responseUrl = str(payload.response_url);
  return {
    event: {
      kind: 'action',
      platform: 'slack',
      workspace: str(record(payload.team)?.id) ?? str(record(payload.user)?.team_id) ?? identity.teamId ?? 'unknown',
      channel,
      thread,
      messageId: messageTs,
      user,
      userName: str(record(payload.user)?.username) ?? str(record(payload.user)?.name),
      isDm: channel.startsWith('D'),
      eventId: `action:${str(payload.trigger_id) ?? `${messageTs}:${str(clicked.action_ts)}`}`,
      action,
      value: button?.value ?? '',
    },
    target: { origin: 'action', action, channel, threadTs: thread, user, ...(responseUrl ? { responseUrl } : {}) },
  };
}
