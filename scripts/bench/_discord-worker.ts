import { parentPort } from 'node:worker_threads';
import { DiscordSide } from './_discord-side.js';

/** Worker-thread entry: runs DiscordSide methods on request from the benchmark thread. */
const side = new DiscordSide();
parentPort?.on('message', async (msg: { id: number; op: keyof DiscordSide; args: unknown[] }) => {
  try {
    const method = side[msg.op] as (...args: unknown[]) => unknown;
    const result = await method.apply(side, msg.args);
    parentPort?.postMessage({ id: msg.id, result });
  } catch (err) {
    parentPort?.postMessage({ id: msg.id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  }
});
