/** Tail of the work queued per key; an entry exists only while someone holds or waits for the key. */
const tails = new Map<string, Promise<void>>();

/**
 * Runs `work` once every earlier holder of `key` has finished. Ingesting one file name is a
 * critical section: moving the new bytes into place, reading them and recording the version must
 * not interleave with another upload of the same name, or the registry could describe bytes that
 * are no longer on disk.
 */
export async function withKeyLock<T>(key: string, work: () => Promise<T>): Promise<T> {
  const previous = tails.get(key) ?? Promise.resolve();
  let release: () => void = () => undefined;
  const mine = new Promise<void>((resolve) => {
    release = resolve;
  });
  const tail = previous.then(() => mine);
  tails.set(key, tail);
  await previous;
  try {
    return await work();
  } finally {
    release();
    if (tails.get(key) === tail) tails.delete(key);
  }
}
