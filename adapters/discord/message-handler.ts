import type { Message } from 'discord.js';
import type { IncomingMessage } from '../../core/chat.js';
import { attachmentFileRef } from './attachments.js';
import { ChannelSurface } from './channel-surface.js';
import { messageContext } from './context.js';
import { deliver } from './deliver.js';
import type { HandlerDeps } from './handler-deps.js';
import { mentionsBot, stripBotMention } from './mention.js';
import { discordLimits } from './surface.js';
import { threadFromMessage } from './thread-target.js';

/**
 * A DM, a mention in a guild channel, or a follow-up in a thread the bot started becomes an
 * IncomingMessage. Bots (this one included), webhooks and system messages are ignored.
 */
export function handleMessage(deps: HandlerDeps, message: Message): void {
  if (message.author.bot || message.webhookId || message.system) return;
  const botId = message.client.user.id;
  const channel = message.channel;
  const isDm = !message.inGuild();
  const inThread = channel.isThread();
  const bot = { userId: botId, roleId: message.guild?.roles.botRoleFor(botId)?.id };
  const mentioned =
    message.mentions.users.has(botId) ||
    (bot.roleId !== undefined && message.mentions.roles.has(bot.roleId)) ||
    mentionsBot(message.content, bot);
  const ownThread = inThread && deps.options.answerInOwnThreads && channel.ownerId === botId;
  if (!isDm && !mentioned && !ownThread) return;

  const text = stripBotMention(message.content, bot);
  const event: IncomingMessage = {
    kind: 'message',
    ...messageContext(message),
    text,
    attachments: [...message.attachments.values()].map((a) =>
      attachmentFileRef({ name: a.name, url: a.url, size: a.size, contentType: a.contentType }, deps.options.maxFileBytes),
    ),
  };
  // A redelivered message gets no placeholder: the runtime already answered it.
  if (deps.runtime.accept && !deps.runtime.accept(event)) return;
  const rest = message.client.rest;
  const target =
    isDm || inThread
      ? async () => ({ channelId: channel.id })
      : threadFromMessage({
          rest,
          channelId: channel.id,
          messageId: message.id,
          question: text || event.attachments.map((a) => a.name).join(', '),
          logger: deps.logger,
        });
  const reply = deps.runtime.replyOn(new ChannelSurface(rest, target, deps.codec, discordLimits(deps.options)));
  void reply.openPlaceholder().then(() => deliver(deps.runtime, event, reply, deps.logger));
}
