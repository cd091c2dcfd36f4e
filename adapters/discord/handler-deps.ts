import type { Logger } from 'pino';
import type { ButtonCodec } from '../../core/button-codec.js';
import type { BotRuntime, CommandSpec } from '../../core/chat.js';
import type { DiscordAdapterOptions } from './options.js';

/** What the event handlers share for the life of one adapter. */
export interface HandlerDeps {
  runtime: BotRuntime;
  options: DiscordAdapterOptions;
  logger: Logger;
  codec: ButtonCodec;
  /** The runtime's `/kb` grammar, read once at start. */
  specs: CommandSpec[];
}
