import type { z } from 'zod';

/**
 * Records which configuration keys the app reads. A key counts as read when code accesses it, or
 * when code enumerates its parent (a spread or Object.keys hands every key over at once, as the
 * platform wiring does with each platform's section).
 */
const scanningForSecrets = (): boolean => {
  const stack = new Error().stack ?? '';
  // Copying the whole configuration for the sample-ingest child process uses no setting either: the
  // child reads what the server's own core reads.
  return stack.includes('secretValuesOf') || stack.includes('configForChild');
};

export function recordReads<T extends object>(config: T): { config: T; read: Set<string> } {
  const read = new Set<string>();
  const proxies = new WeakMap<object, object>();
  const wrap = (target: object, path: string): object => {
    const cached = proxies.get(target);
    if (cached) return cached;
    const proxy = new Proxy(target, {
      get(obj, key, receiver) {
        const value = Reflect.get(obj, key, receiver);
        if (typeof key !== 'string' || (Array.isArray(obj) && !/^\d+$/.test(key))) return value;
        // The log scrubber walks the whole configuration looking for secrets: that uses no setting.
        if (scanningForSecrets()) return value;
        const child = path ? `${path}.${key}` : key;
        if (!Array.isArray(obj)) read.add(child);
        return value !== null && typeof value === 'object' ? wrap(value, Array.isArray(obj) ? path : child) : value;
      },
      ownKeys(obj) {
        if (scanningForSecrets()) return Reflect.ownKeys(obj);
        // The whole configuration handed over at once would hide everything; only sections count.
        if (path) read.add(`${path}.*`);
        return Reflect.ownKeys(obj);
      },
    });
    proxies.set(target, proxy);
    return proxy;
  };
  return { config: wrap(config, '') as T, read };
}

interface ZodDef {
  type: string;
  shape?: Record<string, { _zod: { def: ZodDef } }>;
  innerType?: { _zod: { def: ZodDef } };
  out?: { _zod: { def: ZodDef } };
}

/** Every settable key of a schema, as dotted paths; a record, array or scalar is one key. */
export function schemaKeys(schema: z.ZodType, prefix = ''): string[] {
  let def = (schema as unknown as { _zod: { def: ZodDef } })._zod.def;
  for (;;) {
    if ((def.type === 'default' || def.type === 'optional' || def.type === 'nullable') && def.innerType)
      def = def.innerType._zod.def;
    else if (def.type === 'pipe' && def.out) def = def.out._zod.def;
    else break;
  }
  if (def.type !== 'object' || !def.shape) return [prefix];
  return Object.entries(def.shape).flatMap(([key, child]) =>
    schemaKeys(child as unknown as z.ZodType, prefix ? `${prefix}.${key}` : key),
  );
}

/** Keys of the schema that nothing read: neither the key, something inside it, nor its enumerated parent. */
export function unreadKeys(keys: string[], read: Set<string>): string[] {
  const reads = [...read];
  return keys.filter((key) => {
    if (read.has(key) || reads.some((r) => r.startsWith(`${key}.`))) return false;
    const parts = key.split('.');
    return !parts.some((_, i) => i > 0 && read.has(`${parts.slice(0, i).join('.')}.*`));
  });
}
