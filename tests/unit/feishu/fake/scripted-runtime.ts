import type { BotRuntime, CommandSpec, IncomingEvent, Reply } from '../../../../core/chat.js';

export type Script = (event: IncomingEvent, reply: Reply) => Promise<void>;

/** A runtime whose answer is whatever the test scripts; it records every event it was handed. */
export class ScriptedRuntime implements BotRuntime {
  readonly events: IncomingEvent[] = [];

  constructor(private readonly script: Script = async (_e, reply) => reply.write({ type: 'message', markdown: 'ok' })) {}

  async handle(event: IncomingEvent, reply: Reply): Promise<void> {
    this.events.push(event);
    try {
      await this.script(event, reply);
    } finally {
      await reply.end();
    }
  }

  commands(): CommandSpec[] {
    return [];
  }

  kbNames(): string[] {
    return [];
  }
}

/** Loads every attachment the event carries, so tests can see names and bytes. */
export const fetchAttachments: Script = async (event, reply) => {
  if (event.kind === 'action') return;
  const names: string[] = [];
  for (const file of event.attachments) {
    const bytes = await file.fetch(); // first: an image's name is corrected from the download's type
    names.push(`${file.name} (${bytes.length} bytes)`);
  }
  await reply.write({ type: 'message', markdown: `${event.kind}: ${event.text} | files: ${names.join(', ') || 'none'}` });
};
