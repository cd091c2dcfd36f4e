import type { Reply } from '../../core/chat.js';
import { namedKbs } from '../runtime/kb-access.js';
import type { Services } from '../runtime/services.js';
import { agent, ask, web } from './handlers/ask.js';
import { help, model, reset, status, unuse, use } from './handlers/conversation.js';
import { login } from './handlers/login.js';
import { cancel, create, del, reindex, remove, upload } from './handlers/manage.js';
import { files, list, search } from './handlers/read.js';
import { type CommandEvent, say } from './handlers/types.js';
import { type Command, parseCommand } from './parse.js';

async function run(svc: Services, ev: CommandEvent, reply: Reply, cmd: Command): Promise<void> {
  switch (cmd.name) {
    case 'help':
      return help(svc, ev, reply, cmd);
    case 'list':
      return list(svc, ev, reply, cmd);
    case 'files':
      return files(svc, ev, reply, cmd);
    case 'use':
      return use(svc, ev, reply, cmd);
    case 'unuse':
      return unuse(svc, ev, reply, cmd);
    case 'search':
      return search(svc, ev, reply, cmd);
    case 'ask':
      return ask(svc, ev, reply, cmd);
    case 'web':
      return cmd.question ? web(svc, ev, reply, cmd) : login(svc, ev, reply, { name: 'login', logout: false });
    case 'login':
      return login(svc, ev, reply, cmd);
    case 'agent':
      return agent(svc, ev, reply, cmd);
    case 'create':
      return create(svc, ev, reply, cmd);
    case 'upload':
      return upload(svc, ev, reply, cmd);
    case 'remove':
      return remove(svc, ev, reply, cmd);
    case 'reindex':
      return reindex(svc, ev, reply, cmd);
    case 'delete':
      return del(svc, ev, reply, cmd);
    case 'reset':
      return reset(svc, ev, reply, cmd);
    case 'model':
      return model(svc, ev, reply, cmd);
    case 'status':
      return status(svc, ev, reply, cmd);
    case 'cancel':
      return cancel(svc, ev, reply, cmd);
  }
}

/** Parses and runs one `/kb` command line; malformed input gets the closest usage line. */
export async function runCommand(svc: Services, ev: CommandEvent, text: string, reply: Reply): Promise<void> {
  const names = new Set(namedKbs(svc).map((kb) => kb.name));
  const parsed = parseCommand(text, { isKb: (name) => names.has(name) });
  if (!parsed.ok) {
    await say(reply, `${parsed.message}\nUsage: \`${parsed.usage}\` — \`/kb help\` lists every command.`);
    return;
  }
  await run(svc, ev, reply, parsed.command);
}
