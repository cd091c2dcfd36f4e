import type { ChatContext, FileRef, IncomingCommand, IncomingMessage } from '../../core/chat.js';
import type { ReplyTarget } from './outbox.js';

/** Who the bot is in this workspace (auth.test). */
export interface SlackIdentity {
  botUserId: string;
  botId?: string;
  teamId?: string;
}

export interface TranslateDeps {
  identity: SlackIdentity;
  commandName: string;
  files: (files: unknown) => FileRef[];
}

export type Translation<E> = { event: E; target: ReplyTarget } | { ignore: string };

/** Message subtypes that carry a person's new message; edits, deletions, joins and the like do not. */
const USER_SUBTYPES = new Set([undefined, 'file_share', 'thread_broadcast']);

/**
 * An Events API callback (`app_mention` or `message`) → the neutral event and where to answer.
 * Mentions are answered in their thread, DMs where they were written; in channels a message
 * without a mention counts only as `upload <kb>` with files attached.
 */
export function translateEventCallback(body: unknown, deps: TranslateDeps): Translation<IncomingMessage | IncomingCommand> {
  const envelope = record(body);
  const event = record(envelope?.event);
  if (!envelope || !event) return { ignore: 'malformed event' };
  const type = str(event.type);
  const subtype = str(event.subtype);
  const channel = str(event.channel);
  const user = str(event.user);
  const ts = str(event.ts);
  if (!channel || !ts) return { ignore: 'event without channel or ts' };
  if (!USER_SUBTYPES.has(subtype)) return { ignore: `message subtype ${subtype}` };
  if (event.bot_id !== undefined || event.subtype === 'bot_message' || !user || user === deps.identity.botUserId) {
    return { ignore: 'message from a bot' };
  }
  const threadTs = str(event.thread_ts);
  const userTeam = str(event.user_team) ?? str(event.team) ?? str(envelope.team_id) ?? deps.identity.teamId;
  const base = {
    platform: 'slack',
    workspace: str(envelope.team_id) ?? str(event.team) ?? deps.identity.teamId ?? 'unknown',
    channel,
    messageId: ts,
    user,
    eventId: str(envelope.event_id) ?? `${channel}:${ts}`,
  };
  const text = cleanText(str(event.text) ?? '', deps.identity.botUserId);
  const attachments = deps.files(event.files);
  const upload = uploadCommand(text, deps.commandName);

  const answerIn = (thread: string | undefined, isDm: boolean) =>
    build({ ...base, thread, isDm }, text, attachments, upload, {
      origin: 'message',
      channel,
      threadTs: thread,
      user,
      ...(userTeam ? { team: userTeam } : {}),
    });

  if (type === 'app_mention') {
    // In a DM the same words also arrive as a message.im event, which answers them.
    if (channel.startsWith('D')) return { ignore: 'mention inside a DM' };
    return answerIn(threadTs ?? ts, false);
  }
  if (type !== 'message') return { ignore: `event type ${type}` };
  if (str(event.channel_type) === 'im') return answerIn(threadTs, true);
  if ((str(event.text) ?? '').includes(`<@${deps.identity.botUserId}`))
    return { ignore: 'channel mention (app_mention answers it)' };
  if (!upload || attachments.length === 0) return { ignore: 'channel message not addressed to the bot' };
  return answerIn(threadTs ?? ts, false);
}

function build(
  ctx: ChatContext,
  text: string,
  attachments: FileRef[],
  upload: string | undefined,
  target: ReplyTarget,
): Translation<IncomingMessage | IncomingCommand> {
  if (upload && attachments.length > 0) return { event: { ...ctx, kind: 'command', text: upload, attachments }, target };
  return { event: { ...ctx, kind: 'message', text, attachments }, target };
}

/**
 * Slack cannot attach files to a slash command, so `upload <kb>` (optionally written `/kb upload
 * <kb>` or `kb upload <kb>`) typed in a message with files is the upload command.
 */
export function uploadCommand(text: string, commandName: string): string | undefined {
  const name = commandName.replace(/^\//, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`^(?:/?${name}\\s+)?(upload\\s+\\S.*)$`, 'is').exec(text.trim());
  return m ? (m[1] as string).replace(/\s+/g, ' ').trim() : undefined;
}

/**
 * Slack's wire text → what the user typed: the bot's own mention removed, other mentions,
 * channels and links readable, entities decoded.
 */
export function cleanText(text: string, botUserId: string): string {
  return text
    .replace(new RegExp(`<@${botUserId}(?:\\|[^>]*)?>`, 'g'), ' ')
    .replace(/<@([A-Z0-9]+)(?:\|([^>]*))?>/g, (_m, id: string, name?: string) => `@${name || id}`)
    .replace(/<#([A-Z0-9]+)(?:\|([^>]*))?>/g, (_m, id: string, name?: string) => `#${name || id}`)
    .replace(/<!(here|channel|everyone)(?:\|[^>]*)?>/g, '@$1')
    .replace(/<!subteam\^[A-Z0-9]+(?:\|([^>]*))?>/g, (_m, name?: string) => name ?? '@group')
    .replace(/<((?:https?|mailto):[^|>]+)\|([^>]+)>/g, '$2 ($1)')
    .replace(/<((?:https?|mailto):[^>]+)>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/[ \t]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .trim();
}

export function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
