import type { Client } from 'discord.js';
import type { Logger } from 'pino';

type PacketHandler = (packet: unknown, shard: unknown) => boolean;

/**
 * discord.js reads each gateway packet inside its websocket listener, where an exception on a
 * malformed packet becomes an unhandled rejection and, by Node's default, ends the process. This
 * wraps that one step so such a packet is logged and skipped instead.
 */
export function guardPacketHandling(client: Client, logger: Logger): void {
  const manager = client.ws as unknown as { handlePacket?: PacketHandler };
  const original = manager.handlePacket;
  if (typeof original !== 'function') {
    logger.warn('discord: this discord.js version has no handlePacket; malformed gateway packets are not guarded');
    return;
  }
  manager.handlePacket = function guardedHandlePacket(this: unknown, packet: unknown, shard: unknown): boolean {
    try {
      return original.call(this, packet, shard);
    } catch (err) {
      const event = (packet as { t?: unknown } | null)?.t;
      logger.warn({ err, event }, 'discord: ignored a gateway event that could not be read');
      return true;
    }
  };
}
