import type { IncomingEvent, Reply } from '../../../core/chat.js';
import { ScriptedRuntime as BaseScriptedRuntime, type Script } from '../../helpers/scripted-runtime.js';

/** A scripted runtime that first downloads every attachment, recording the bytes or the error. */
export class ScriptedRuntime extends BaseScriptedRuntime {
  readonly attachments: Array<{ name: string; bytes?: Buffer; error?: unknown }> = [];

  constructor(script: Script = async () => {}) {
    super(script, { kbNames: ['handbook'] });
  }

  protected override async answer(event: IncomingEvent, reply: Reply): Promise<void> {
    if (event.kind !== 'action') {
      for (const file of event.attachments) {
        try {
          this.attachments.push({ name: file.name, bytes: await file.fetch() });
        } catch (error) {
          this.attachments.push({ name: file.name, error });
        }
      }
    }
    await super.answer(event, reply);
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
