import { once } from 'node:events';
import { type Client, Events, RESTEvents } from 'discord.js';
import type { Logger } from 'pino';
import { ButtonCodec } from '../../core/button-codec.js';
import type { BotRuntime, ChatAdapter } from '../../core/chat.js';
import { createDiscordClient } from './client.js';
import type { HandlerDeps } from './handler-deps.js';
import { handleInteraction } from './interaction-handler.js';
import { handleMessage } from './message-handler.js';
import { type DiscordAdapterInput, resolveDiscordOptions } from './options.js';
import { guardPacketHandling } from './packet-guard.js';
import { registerKbCommand } from './register.js';

/** Discord caps a component's custom_id at 100 characters. */
const DISCORD_CUSTOM_ID_MAX = 100;

/** The Discord chat adapter: gateway events in, replies out through discord.js REST. */
export function createDiscordAdapter(input: DiscordAdapterInput, logger: Logger): ChatAdapter {
  const options = resolveDiscordOptions(input);
  let client: Client | undefined;

  return {
    platform: 'discord',

    async start(runtime: BotRuntime): Promise<void> {
      const c = createDiscordClient(options);
      client = c;
      guardPacketHandling(c, logger);
      const deps: HandlerDeps = {
        runtime,
        options,
        logger,
        codec: new ButtonCodec(DISCORD_CUSTOM_ID_MAX),
        specs: runtime.commands(),
      };
      c.on(Events.MessageCreate, (message) => guarded(logger, 'message', () => handleMessage(deps, message)));
      c.on(Events.InteractionCreate, (interaction) => guarded(logger, 'interaction', () => handleInteraction(deps, interaction)));
      c.on(Events.Error, (err) => logger.error({ err }, 'discord: client error'));
      c.rest.on(RESTEvents.RateLimited, (info) =>
        logger.info({ route: info.route, retryAfterMs: info.retryAfter }, 'discord: rate limited; the request waits and retries'),
      );
      const ready = once(c, Events.ClientReady);
      await c.login(options.token);
      await ready;
      logger.info({ user: c.user?.tag }, 'discord: connected to the gateway');
      if (options.registerCommands !== 'off') {
        const guildId = options.registerCommands === 'global' ? undefined : options.registerCommands;
        const result = await registerKbCommand({
          rest: c.rest,
          applicationId: options.applicationId,
          specs: deps.specs,
          guildId,
        });
        logger.info(result, 'discord: /kb registered');
      }
    },

    async stop(): Promise<void> {
      const c = client;
      client = undefined;
      await c?.destroy();
    },
  };
}

/** A malformed event must never take the process down: log it and carry on. */
function guarded(logger: Logger, what: string, handle: () => void): void {
  try {
    handle();
  } catch (err) {
    logger.warn({ err }, `discord: ignored a ${what} event that could not be read`);
  }
}
