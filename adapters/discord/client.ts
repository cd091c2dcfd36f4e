import { Client, GatewayIntentBits, Partials } from 'discord.js';
import type { DiscordAdapterOptions } from './options.js';

/** A discord.js client with the intents TeamKB needs; REST and gateway discovery both use `apiUrl`. */
export function createDiscordClient(options: Pick<DiscordAdapterOptions, 'apiUrl'>): Client {
  return new Client({
    intents: [
      GatewayIntentBits.Guilds,
      GatewayIntentBits.GuildMessages,
      GatewayIntentBits.MessageContent,
      GatewayIntentBits.DirectMessages,
    ],
    // DM channels are not cached before their first message; without this partial those messages are dropped.
    partials: [Partials.Channel],
    rest: { api: options.apiUrl },
    allowedMentions: { parse: [] },
  });
}
