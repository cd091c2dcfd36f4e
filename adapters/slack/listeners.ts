import type { App } from '@slack/bolt';
import type { Logger } from 'pino';
import type { FileRef } from '../../core/chat.js';
import type { SlackDispatcher } from './dispatcher.js';
import { type SlackIdentity, translateEventCallback } from './incoming-events.js';
import { translateBlockAction, translateSlashCommand, uploadInstructions } from './interactions.js';

export interface ListenerDeps {
  identity: SlackIdentity;
  commandName: string;
  dispatcher: SlackDispatcher;
  files: (files: unknown) => FileRef[];
  logger: Logger;
}

/**
 * Wires Bolt's listeners. Bolt acks Events API deliveries before listeners run; commands and
 * button clicks are acked here first. No listener waits for the runtime.
 */
export function registerSlackListeners(app: App, deps: ListenerDeps): void {
  const { identity, commandName, dispatcher, logger } = deps;

  const onEvent = async ({ body }: { body: unknown }) => {
    const t = translateEventCallback(body, { identity, commandName, files: deps.files });
    if ('ignore' in t) {
      logger.debug({ reason: t.ignore }, 'slack: event ignored');
      return;
    }
    dispatcher.dispatch(t.event, t.target);
  };
  app.event('app_mention', onEvent);
  app.event('message', onEvent);

  app.command(commandName, async ({ command, ack }) => {
    const instructions = uploadInstructions(command.text ?? '', commandName);
    if (instructions) {
      await ack({ response_type: 'ephemeral', text: instructions });
      return;
    }
    await ack({ response_type: 'ephemeral', text: 'Working…' });
    const t = translateSlashCommand(command, identity);
    if ('ignore' in t) logger.warn({ reason: t.ignore }, 'slack: slash command ignored');
    else dispatcher.dispatch(t.event, t.target);
  });

  app.action({ type: 'block_actions', action_id: /^teamkb_/ }, async ({ ack, body }) => {
    await ack();
    const t = translateBlockAction(body, identity);
    if ('ignore' in t) logger.debug({ reason: t.ignore }, 'slack: button click ignored');
    else dispatcher.dispatch(t.event, t.target);
  });

  app.error(async (err) => {
    logger.error({ err }, 'slack: listener error');
  });
}
