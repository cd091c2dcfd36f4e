import { DiscordSide } from './_discord-side.js';

/** Child-process entry: runs DiscordSide methods on request from the benchmark process (IPC). */
const side = new DiscordSide();
process.on('message', async (msg: { id: number; op: keyof DiscordSide; args: unknown[] }) => {
  try {
    const method = side[msg.op] as (...args: unknown[]) => unknown;
    const result = await method.apply(side, msg.args);
    process.send?.({ id: msg.id, result });
  } catch (err) {
    process.send?.({ id: msg.id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  }
});
