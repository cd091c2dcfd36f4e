import type { Logger } from 'pino';
import type { BotRuntime, IncomingEvent, Reply } from '../../core/chat.js';

/** Hands an event to the runtime without waiting; a runtime failure is logged and shown, never thrown. */
export function deliver(runtime: BotRuntime, event: IncomingEvent, reply: Reply, logger: Logger): void {
  void (async () => {
    try {
      await runtime.handle(event, reply);
      // The runtime normally ends the reply itself; ending twice is harmless and settles any stream left open.
      await reply.end();
    } catch (err) {
      logger.error({ err, eventId: event.eventId }, 'discord: the runtime failed to handle an event');
      await reply
        .write({ type: 'error', code: 'INTERNAL', message: 'TeamKB could not handle that request.' })
        .catch(() => undefined);
      await reply.end().catch(() => undefined);
    }
  })();
}
