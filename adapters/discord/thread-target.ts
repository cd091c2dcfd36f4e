import { type APIChannel, DiscordAPIError, type REST, RESTJSONErrorCodes, Routes, ThreadAutoArchiveDuration } from 'discord.js';
import type { Logger } from 'pino';
import type { ChannelTarget } from './channel-surface.js';

const MAX_THREAD_NAME = 100;

/**
 * Resolves, once and only when the first message is posted, to a thread started from the user's
 * message. Where a thread cannot be started (no permission, a channel without threads) the answer
 * goes to the channel as a reply instead, so it is never lost.
 */
export function threadFromMessage(o: {
  rest: REST;
  channelId: string;
  messageId: string;
  question: string;
  logger: Logger;
}): () => Promise<ChannelTarget> {
  let target: Promise<ChannelTarget> | undefined;
  return () => {
    target ??= startThread(o);
    return target;
  };
}

async function startThread(o: Parameters<typeof threadFromMessage>[0]): Promise<ChannelTarget> {
  try {
    const thread = (await o.rest.post(Routes.threads(o.channelId, o.messageId), {
      body: { name: threadName(o.question), auto_archive_duration: ThreadAutoArchiveDuration.OneDay },
    })) as APIChannel;
    return { channelId: thread.id };
  } catch (err) {
    // A thread started from a message has that message's id.
    if (err instanceof DiscordAPIError && err.code === RESTJSONErrorCodes.ThreadAlreadyCreatedForMessage) {
      return { channelId: o.messageId };
    }
    o.logger.warn({ err, channel: o.channelId }, 'discord: could not start a thread; answering in the channel');
    return { channelId: o.channelId, replyTo: o.messageId };
  }
}

export function threadName(question: string): string {
  const line = question.replace(/\s+/g, ' ').trim();
  if (!line) return 'TeamKB answer';
  return line.length <= MAX_THREAD_NAME ? line : `${line.slice(0, MAX_THREAD_NAME - 1)}…`;
}
