import type { BotRuntime, CommandSpec, IncomingEvent, Reply } from '../../../core/chat.js';
import { RecordingRuntime } from '../../helpers/recording-runtime.js';

export type Script = (event: IncomingEvent, reply: Reply) => Promise<void>;

/** A runtime whose answer each test scripts; it records the events it was handed. */
export class ScriptedRuntime implements BotRuntime {
  readonly events: IncomingEvent[] = [];
  script: Script = async (_event, reply) => {
    await reply.write({ type: 'message', markdown: 'ok' });
  };

  constructor(private readonly specs: CommandSpec[] = new RecordingRuntime().commands()) {}

  commands(): CommandSpec[] {
    return this.specs;
  }

  kbNames(): string[] {
    return ['handbook', 'hr-policies', 'onboarding', '手册'];
  }

  async handle(event: IncomingEvent, reply: Reply): Promise<void> {
    this.events.push(event);
    try {
      await this.script(event, reply);
    } finally {
      await reply.end();
    }
  }

  last<K extends IncomingEvent['kind']>(kind: K): Extract<IncomingEvent, { kind: K }> | undefined {
    return [...this.events].reverse().find((e) => e.kind === kind) as Extract<IncomingEvent, { kind: K }> | undefined;
  }
}

/** A promise with its resolver, to hold a scripted runtime until the test lets it go on. */
export function gate(): { wait: Promise<void>; open: () => void } {
  let open = () => {};
  const wait = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { wait, open };
}
