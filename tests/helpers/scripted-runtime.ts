import pino from 'pino';
import { ReplyRenderer } from '../../bots/reply/reply-renderer.js';
import type { BotRuntime, CommandSpec, IncomingEvent, Reply, SurfaceReply } from '../../core/chat.js';
import type { MessageSurface } from '../../core/message-surface.js';

export type Script = (event: IncomingEvent, reply: Reply) => Promise<void>;

export interface ScriptedRuntimeOptions {
  commands?: CommandSpec[];
  kbNames?: string[];
  /** TEAMKB_PUBLIC_URL as the real runtime gets it. */
  publicUrl?: string;
}

/** Answers every event with a plain "ok" message. */
export const answerOk: Script = async (_event, reply) => {
  await reply.write({ type: 'message', markdown: 'ok' });
};

/**
 * A BotRuntime for adapter tests whose answer each test scripts: it records every event it was
 * handed and always ends the reply, as the real runtime does.
 */
export class ScriptedRuntime implements BotRuntime {
  readonly events: IncomingEvent[] = [];

  constructor(
    public script: Script = answerOk,
    private readonly options: ScriptedRuntimeOptions = {},
  ) {}

  use(script: Script): void {
    this.script = script;
  }

  commands(): CommandSpec[] {
    return this.options.commands ?? [];
  }

  /** The real reply renderer, as the runtime hands it out. */
  replyOn(surface: MessageSurface): SurfaceReply {
    return new ReplyRenderer(surface, { logger: pino({ level: 'silent' }), links: { publicUrl: this.options.publicUrl } });
  }

  kbNames(): string[] {
    return this.options.kbNames ?? [];
  }

  async handle(event: IncomingEvent, reply: Reply): Promise<void> {
    this.events.push(event);
    try {
      await this.answer(event, reply);
    } finally {
      await reply.end();
    }
  }

  /** The most recent event of a kind. */
  last<K extends IncomingEvent['kind']>(kind: K): Extract<IncomingEvent, { kind: K }> | undefined {
    return this.events.findLast((e) => e.kind === kind) as Extract<IncomingEvent, { kind: K }> | undefined;
  }

  /** Runs the script; subclasses may do their platform's extra work around it. */
  protected async answer(event: IncomingEvent, reply: Reply): Promise<void> {
    await this.script(event, reply);
  }
}
