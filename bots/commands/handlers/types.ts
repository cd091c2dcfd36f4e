import type { ChatContext, FileRef, Reply } from '../../../core/chat.js';
import type { Services } from '../../runtime/services.js';
import type { Command } from '../parse.js';

/** A `/kb` command, from a slash command or a message that starts with "/kb". */
export type CommandEvent = ChatContext & { attachments: FileRef[] };

export type CommandOf<N extends Command['name']> = Extract<Command, { name: N }>;

export type Handler<N extends Command['name']> = (
  svc: Services,
  ev: CommandEvent,
  reply: Reply,
  cmd: CommandOf<N>,
) => Promise<void>;

export function say(reply: Reply, markdown: string, ephemeral = false): Promise<void> {
  return reply.write(ephemeral ? { type: 'message', markdown, ephemeral } : { type: 'message', markdown });
}
