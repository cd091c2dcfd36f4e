import type { BotRuntime, CommandSpec, IncomingEvent, Reply } from '../../core/chat.js';

/**
 * A scripted BotRuntime for adapter tests: it records what the adapter delivered and answers
 * like the real runtime would (streamed answer with a citation, command result, button prompt,
 * error). Redelivered events (same platform + eventId) write nothing, as the real runtime does.
 */
export class RecordingRuntime implements BotRuntime {
  readonly events: IncomingEvent[] = [];
  readonly attachmentBytes: Buffer[] = [];
  private readonly seen = new Set<string>();

  commands(): CommandSpec[] {
    return [
      { name: 'help', usage: 'help', description: 'Show usage', options: [], adminOnly: false },
      {
        name: 'ask',
        usage: 'ask <kb> <question>',
        description: 'Ask a knowledge base',
        options: [
          { name: 'kb', description: 'Knowledge base', kind: 'kb', required: true },
          { name: 'question', description: 'Your question', kind: 'text', required: true },
        ],
        adminOnly: false,
      },
      {
        name: 'upload',
        usage: 'upload <kb>',
        description: 'Add attached files to a knowledge base',
        options: [
          { name: 'kb', description: 'Knowledge base', kind: 'kb', required: true },
          { name: 'file', description: 'File to add', kind: 'file', required: false },
        ],
        adminOnly: true,
      },
      {
        name: 'delete',
        usage: 'delete <kb>',
        description: 'Delete a knowledge base',
        options: [{ name: 'kb', description: 'Knowledge base', kind: 'kb', required: true }],
        adminOnly: true,
      },
    ];
  }

  kbNames(): string[] {
    return ['handbook', '手册'];
  }

  async handle(event: IncomingEvent, reply: Reply): Promise<void> {
    const key = `${event.platform}:${event.eventId}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.events.push(event);
    try {
      if (event.kind === 'action') {
        await reply.write({ type: 'message', markdown: `Recorded ${event.action}: ${event.value}` });
        return;
      }
      for (const file of event.attachments) this.attachmentBytes.push(await file.fetch());
      if (event.kind === 'command') {
        if (event.text.startsWith('delete')) {
          await reply.write({
            type: 'buttons',
            markdown: 'Delete knowledge base **handbook**?',
            buttons: [
              { label: 'Delete', action: 'confirm', value: 'del:handbook', style: 'danger' },
              { label: 'Cancel', action: 'cancel', value: 'del:handbook' },
            ],
          });
          return;
        }
        const names = event.attachments.map((a) => a.name).join(', ');
        await reply.write({ type: 'message', markdown: `Command received: ${event.text}${names ? ` (files: ${names})` : ''}` });
        return;
      }
      if (event.text.includes('please fail')) {
        await reply.write({ type: 'error', code: 'INTERNAL', message: 'Something went wrong answering that.', ref: 'ref123' });
        return;
      }
      const files = event.attachments.map((a) => a.name).join(', ');
      await reply.write({ type: 'status', text: 'Searching handbook…' });
      const words = `The answer is **forty-two** [1].${files ? ` Read ${files}.` : ''}`.split(' ');
      for (const [i, word] of words.entries()) await reply.write({ type: 'text', text: i === 0 ? word : ` ${word}` });
      const citation = { n: 1, file: 'guide.pdf', page: 3, snippet: 'forty-two is the answer', kb: 'handbook' };
      await reply.write({ type: 'citation', citation });
      await reply.write({
        type: 'done',
        answer: {
          markdown: words.join(' '),
          citations: [citation],
          sources: ['handbook'],
          mode: 'kb',
          answerId: 'ans-1',
        },
      });
    } finally {
      await reply.end();
    }
  }
}
