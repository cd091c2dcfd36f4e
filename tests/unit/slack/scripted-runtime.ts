import type { BotRuntime, CommandSpec, IncomingEvent, Reply } from '../../../core/chat.js';

type Script = (event: IncomingEvent, reply: Reply) => Promise<void>;

/** A BotRuntime whose answer to each event is a test-provided script; it records what it got. */
export class ScriptedRuntime implements BotRuntime {
  readonly events: IncomingEvent[] = [];
  readonly attachments: Array<{ name: string; bytes?: Buffer; error?: unknown }> = [];

  constructor(private script: Script = async () => {}) {}

  use(script: Script): void {
    this.script = script;
  }

  async handle(event: IncomingEvent, reply: Reply): Promise<void> {
    this.events.push(event);
    try {
      if (event.kind !== 'action') {
        for (const file of event.attachments) {
          try {
            this.attachments.push({ name: file.name, bytes: await file.fetch() });
          } catch (error) {
            this.attachments.push({ name: file.name, error });
          }
        }
      }
      await this.script(event, reply);
    } finally {
      await reply.end();
    }
  }

  commands(): CommandSpec[] {
    return [];
  }

  kbNames(): string[] {
    return ['handbook'];
  }
}

export const citation = { n: 1, file: 'guide.pdf', page: 3, snippet: 'forty-two', kb: 'handbook' };

/** Writes an answer the way the real runtime streams one. */
export async function streamAnswer(reply: Reply, markdown: string, o: { parts?: number; answerId?: string } = {}): Promise<void> {
  await reply.write({ type: 'status', text: 'Searching handbook…' });
  const parts = o.parts ?? 10;
  const size = Math.ceil(markdown.length / parts);
  for (let i = 0; i < markdown.length; i += size) await reply.write({ type: 'text', text: markdown.slice(i, i + size) });
  await reply.write({ type: 'citation', citation });
  await reply.write({
    type: 'done',
    answer: { markdown, citations: [citation], sources: ['handbook'], mode: 'kb', answerId: o.answerId ?? 'ans-7' },
  });
}
