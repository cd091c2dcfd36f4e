import type { IncomingMessage, Reply } from '../../core/chat.js';
import { runCommand } from '../commands/dispatch.js';
import { say } from '../commands/handlers/types.js';
import { streamAnswer } from './answer-stream.js';
import { conversationKeyOf } from './conversation-key.js';
import { fileChat } from './file-chat.js';
import { routeMessage } from './route.js';
import type { Services } from './services.js';

/** "/kb …" typed into a message (platforms without slash commands, or a mention). */
const INLINE_COMMAND = /^\/kb(?:\s+([\s\S]*))?$/;

/** A mention or DM: a typed command, a question about shared files, or a question for the KB used here. */
export async function handleMessage(svc: Services, msg: IncomingMessage, reply: Reply): Promise<void> {
  const text = msg.text.trim();
  const inline = INLINE_COMMAND.exec(text);
  if (inline) return runCommand(svc, msg, inline[1] ?? '', reply);
  if (msg.attachments.length) return fileChat(svc, msg, reply);
  if (!text) return say(reply, 'Ask me a question, or type `/kb help` to see what I can do.');
  svc.rateLimiter.take(msg);
  const key = conversationKeyOf(msg);
  const route = routeMessage(svc, msg, key);
  if (route.mode === 'llm') {
    return streamAnswer(svc, reply, { ctx: msg, key, request: { mode: 'llm', question: text }, hint: route.hint });
  }
  return streamAnswer(svc, reply, { ctx: msg, key, request: { mode: route.mode, question: text, kbs: [route.kb] } });
}
