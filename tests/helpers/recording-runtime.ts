import type { CommandSpec, IncomingEvent, Reply } from '../../core/chat.js';
import { type Script, ScriptedRuntime } from './scripted-runtime.js';

const KB_OPTION = { name: 'kb', description: 'Knowledge base', kind: 'kb', required: true } as const;

const ADAPTER_TEST_COMMANDS: CommandSpec[] = [
  { name: 'help', usage: 'help', description: 'Show usage', options: [], adminOnly: false },
  {
    name: 'ask',
    usage: 'ask <kb> <question>',
    description: 'Ask a knowledge base',
    options: [KB_OPTION, { name: 'question', description: 'Your question', kind: 'text', required: true }],
    adminOnly: false,
  },
  {
    name: 'upload',
    usage: 'upload <kb>',
    description: 'Add attached files to a knowledge base',
    options: [KB_OPTION, { name: 'file', description: 'File to add', kind: 'file', required: false }],
    adminOnly: true,
  },
  { name: 'delete', usage: 'delete <kb>', description: 'Delete a knowledge base', options: [KB_OPTION], adminOnly: true },
];

async function streamCitedAnswer(reply: Reply, files: string): Promise<void> {
  await reply.write({ type: 'status', text: 'Searching handbook…' });
  const words = `The answer is **forty-two** [1].${files ? ` Read ${files}.` : ''}`.split(' ');
  for (const [i, word] of words.entries()) await reply.write({ type: 'text', text: i === 0 ? word : ` ${word}` });
  const citation = { n: 1, file: 'guide.pdf', page: 3, snippet: 'forty-two is the answer', kb: 'handbook' };
  await reply.write({ type: 'citation', citation });
  await reply.write({
    type: 'done',
    answer: { markdown: words.join(' '), citations: [citation], sources: ['handbook'], mode: 'kb', answerId: 'ans-1' },
  });
}

/** Answers like the real runtime: action echo, delete prompt, command result, error, or a cited answer. */
function answerLikeTheRuntime(attachmentBytes: Buffer[]): Script {
  return async (event: IncomingEvent, reply: Reply) => {
    if (event.kind === 'action') {
      await reply.write({ type: 'message', markdown: `Recorded ${event.action}: ${event.value}` });
      return;
    }
    for (const file of event.attachments) attachmentBytes.push(await file.fetch());
    const names = event.attachments.map((a) => a.name).join(', ');
    if (event.kind === 'command' && event.text.startsWith('delete')) {
      await reply.write({
        type: 'buttons',
        markdown: 'Delete knowledge base **handbook**?',
        buttons: [
          { label: 'Delete', action: 'confirm', value: 'del:handbook', style: 'danger' },
          { label: 'Cancel', action: 'cancel', value: 'del:handbook' },
        ],
      });
    } else if (event.kind === 'command') {
      await reply.write({ type: 'message', markdown: `Command received: ${event.text}${names ? ` (files: ${names})` : ''}` });
    } else if (event.text.includes('please fail')) {
      await reply.write({ type: 'error', code: 'INTERNAL', message: 'Something went wrong answering that.', ref: 'ref123' });
    } else {
      await streamCitedAnswer(reply, names);
    }
  };
}

/**
 * A scripted BotRuntime for adapter tests: it records what the adapter delivered and answers
 * like the real runtime would (streamed answer with a citation, command result, button prompt,
 * error). Redelivered events (same platform + eventId) write nothing, as the real runtime does.
 */
export class RecordingRuntime extends ScriptedRuntime {
  readonly attachmentBytes: Buffer[];
  private readonly seen = new Set<string>();

  constructor() {
    const attachmentBytes: Buffer[] = [];
    super(answerLikeTheRuntime(attachmentBytes), { commands: ADAPTER_TEST_COMMANDS, kbNames: ['handbook', '手册'] });
    this.attachmentBytes = attachmentBytes;
  }

  override async handle(event: IncomingEvent, reply: Reply): Promise<void> {
    const key = `${event.platform}:${event.eventId}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    await super.handle(event, reply);
  }
}
